package io.mcpslo.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The SLO core stays pure: values in, values out, no IO library. */
class ArchitectureTest {

    private final JavaClasses engine = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.engine");

    @Test
    void engineImportsNoKafkaClickHouseHttpOrJson() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "com.fasterxml.jackson..", "io.javalin..", "java.net.http..",
                        "io.mcpslo.clickhouse..", "io.mcpslo.kafka..", "io.micrometer..")
                .check(engine);
    }

    @Test
    void engineUsesTheContractRecordsNotItsCodec() {
        noClasses().should().dependOnClassesThat().haveSimpleName("EventCodec")
                .orShould().dependOnClassesThat().haveSimpleName("EventValidator")
                .check(engine);
    }

    @Test
    void engineDoesNotReadTheWallClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(engine);
    }
}

package io.mcpslo.emitter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The emitter lands in other people's gateways: it uses only what its pom promises them. */
class ArchitectureTest {

    private final JavaClasses emitter = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.emitter");

    @Test
    void emitterKnowsNoKafkaClickHouseServerSideOrLoggingFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.javalin..", "org.slf4j..", "com.networknt..",
                        "io.mcpslo.clickhouse..", "io.mcpslo.kafka..", "io.mcpslo.collector..", "io.mcpslo.common..")
                .check(emitter);
    }

    @Test
    void emitterLeavesValidationToTheCollector() {
        // the pom leaves the schema validator out of the gateway: a class using it would fail there at run time
        noClasses().should().dependOnClassesThat().haveSimpleName("EventValidator").check(emitter);
    }
}

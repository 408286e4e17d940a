package io.mcpslo.sloconfig;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** SLO and receiver files are read and validated before anything runs: no broker, store or HTTP (DESIGN.md). */
class ArchitectureTest {

    private final JavaClasses config = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.sloconfig");

    @Test
    void configKnowsNoKafkaClickHouseOrHttp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "kafka..", "io.mcpslo.kafka..",
                        "io.mcpslo.clickhouse..", "java.sql..",
                        "io.javalin..", "java.net.http..", "com.sun.net.httpserver..")
                .check(config);
    }
}

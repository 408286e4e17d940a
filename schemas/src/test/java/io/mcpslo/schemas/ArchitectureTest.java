package io.mcpslo.schemas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The event contract is shared by every service and by gateways: it knows no transport and no store (DESIGN.md). */
class ArchitectureTest {

    private final JavaClasses schemas = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.schemas");

    @Test
    void contractKnowsNoKafkaClickHouseOrHttp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "kafka..", "io.mcpslo.kafka..",
                        "io.mcpslo.clickhouse..", "java.sql..",
                        "io.javalin..", "java.net.http..", "com.sun.net.httpserver..")
                .check(schemas);
    }
}

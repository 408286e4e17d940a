package io.mcpslo.clickhouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The storage side (DESIGN.md: "HTTP, Kafka Streams" it must not know). It talks to ClickHouse over ClickHouse's
 * own HTTP interface as a client, so the rule forbids serving HTTP, not {@code java.net.http}.
 */
class ArchitectureTest {

    private final JavaClasses clickHouse = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.clickhouse");

    @Test
    void storageServesNoHttpAndKnowsNoKafka() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "com.sun.net.httpserver..", "io.mcpslo.query..",
                        "org.apache.kafka..", "kafka..", "io.mcpslo.kafka..", "io.mcpslo.processor..")
                .check(clickHouse);
    }
}

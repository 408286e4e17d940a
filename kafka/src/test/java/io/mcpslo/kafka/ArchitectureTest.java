package io.mcpslo.kafka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Topics, wire formats and the embedded broker: no HTTP and no SQL store (DESIGN.md). */
class ArchitectureTest {

    private final JavaClasses kafka = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.kafka");

    @Test
    void topicsAndWireFormatsKnowNoHttp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "java.net.http..", "com.sun.net.httpserver..")
                .check(kafka);
    }

    @Test
    void topicsAndWireFormatsKnowNoSqlStore() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.mcpslo.clickhouse..", "java.sql..")
                .check(kafka);
    }
}

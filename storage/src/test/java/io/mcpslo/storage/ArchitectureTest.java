package io.mcpslo.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The storage interfaces name no back end and no transport: a second back end implements them without touching the
 * processor or the API, and the in-memory storage runs without any server.
 */
class ArchitectureTest {

    private final JavaClasses storage = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.storage");

    @Test
    void storageNamesNoBackEndNorTransport() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.mcpslo.clickhouse..", "org.apache.kafka..",
                "io.javalin..", "io.mcpslo.query..", "io.mcpslo.processor..", "java.net.http..").check(storage);
    }
}

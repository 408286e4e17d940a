package io.mcpslo.processor;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The processor runs topologies, the sink and alert delivery; it serves no API (DESIGN.md: "HTTP serving").
 * No SQL and no ClickHouse: the processor writes and reads through the storage interfaces (io.mcpslo.storage); the
 * back end is found at run time by STORAGE_TYPE.
 */
class ArchitectureTest {

    private final JavaClasses processor = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.processor");

    @Test
    void processorKnowsNoStorageBackEnd() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.mcpslo.clickhouse..").check(processor);
    }

    @Test
    void processorServesNoApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "io.mcpslo.query..")
                .check(processor);
    }

    @Test
    void theOnlyHttpTheProcessorServesIsItsMetricsScrape() {
        noClasses().that(not(type(MetricsEndpoint.class)))
                .should().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..")
                .check(processor);
    }
}

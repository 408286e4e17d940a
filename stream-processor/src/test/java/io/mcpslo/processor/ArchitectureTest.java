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
 * Pending, not checked: DESIGN.md's "no SQL" for this module. It holds once the storage module owns all SQL
 * (issue 9); today {@code sink.ClickHousePipelineStore}, {@code sink.Retention}, {@code StreamProcessor} and
 * {@code ProcessorConfig} depend on {@code io.mcpslo.clickhouse}, so the rule
 * {@code noClasses().should().dependOnClassesThat().resideInAPackage("io.mcpslo.clickhouse..")} would fail.
 */
class ArchitectureTest {

    private final JavaClasses processor = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.processor");

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

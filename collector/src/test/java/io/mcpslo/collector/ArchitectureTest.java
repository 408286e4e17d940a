package io.mcpslo.collector;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.slo.DurationText;
import org.junit.jupiter.api.Test;

/** Ingest accepts, validates and produces to Kafka with acks; storing and SLO math happen downstream (DESIGN.md). */
class ArchitectureTest {

    private final JavaClasses collector = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.collector");

    @Test
    void ingestKnowsNoClickHouse() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.mcpslo.clickhouse..", "java.sql..")
                .check(collector);
    }

    @Test
    void ingestDoesNoSloMath() {
        // two settings are shared with the processor so both read them alike: the "30s"/"6h" duration syntax and
        // the rollup's default allowed lateness (the collector refuses events older than that); nothing else
        noClasses().should().dependOnClassesThat(resideInAPackage("io.mcpslo.engine..")
                        .and(not(type(DurationText.class))).and(not(type(LatenessPolicy.class))))
                .check(collector);
    }
}

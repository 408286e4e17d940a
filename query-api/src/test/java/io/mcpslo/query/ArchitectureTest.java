package io.mcpslo.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The API reads what the pipeline stored; it does not reach into the stream processing (DESIGN.md: "Kafka Streams
 * internals"). It may produce to Kafka (its own audit events go through the audit topic like everyone's).
 * No SQL and no ClickHouse: it reads through the storage interfaces (io.mcpslo.storage); the back end is found at
 * run time by STORAGE_TYPE.
 */
class ArchitectureTest {

    private final JavaClasses query = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mcpslo.query");

    @Test
    void apiKnowsNoKafkaStreamsNorTheProcessor() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.streams..", "io.mcpslo.processor..")
                .check(query);
    }

    @Test
    void apiKnowsNoStorageBackEnd() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.mcpslo.clickhouse..").check(query);
    }
}

package io.mcpslo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollup keeps its dirty marks in memory. A processor that committed window updates but stopped before their
 * emit must not lose them: the next start emits every window its state holds.
 */
class RollupReemitOnStartIT {

    private static final String APPLICATION_ID = "rollup-reemit-it";
    private static final int CALLS = 500;
    private static ClickHouseClient clickHouse;

    @BeforeAll
    static void start() {
        clickHouse = ClickHouseTestSupport.freshDatabase("rollup_reemit");
    }

    @AfterAll
    static void stop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    private static ProcessorConfig config(EmbeddedKafkaBroker broker, Path stateDir, String emitInterval) {
        return ProcessorConfig.from(new Settings(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "CLICKHOUSE_URL", clickHouse.config().url().toString(),
                "CLICKHOUSE_DATABASE", clickHouse.database(),
                "PROCESSOR_APPLICATION_ID", APPLICATION_ID,
                "PROCESSOR_STATE_DIR", stateDir.toString(),
                "PROCESSOR_METRICS_PORT", "0",
                "ROLLUP_EMIT_INTERVAL", emitInterval,
                "SINK_FLUSH_INTERVAL", "200ms")));
    }

    @Test
    void windowsCommittedButNeverEmittedAreEmittedByTheNextStart() throws Exception {
        Path stateDir = Files.createTempDirectory("mcp-slo-state");
        String rolledUp = "SELECT sum(calls) AS n FROM " + clickHouse.database() + ".call_rollups_1m FINAL";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            try (StreamProcessor processor = StreamProcessor.start(config(broker, stateDir, "1h"))) {
                awaitRunning(processor);
                send(broker);
                awaitRollupCommitted(broker);
            }
            assertEquals(0, clickHouse.query(rolledUp).get(0).get("n").asLong(),
                    "with an hourly emit the first run stored no rollup: the scenario needs a window left unemitted");

            try (StreamProcessor processor = StreamProcessor.start(config(broker, stateDir, "1s"))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                long stored = 0;
                while (System.nanoTime() < deadline && (stored = clickHouse.query(rolledUp).get(0).get("n").asLong()) < CALLS) {
                    Thread.sleep(250);
                }
                assertEquals(CALLS, stored, "rolled-up calls after the second start");
            }
        }
    }

    private static void awaitRunning(StreamProcessor processor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (processor.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the processor is " + processor.state() + " after 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static void send(EmbeddedKafkaBroker broker) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.<String, Object>of("bootstrap.servers",
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < CALLS; i++) {
                String json = """
                        {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","server_version":"1.0",\
                        "tool":"search","method":"tools/call","duration_ms":12,"outcome":"ok"}"""
                        .formatted(UUID.randomUUID(), Instant.now());
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "github|search",
                        json.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** The rollup task has committed (state and offsets together, exactly once) every validated call. */
    private static void awaitRollupCommitted(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(entry -> entry.getKey().topic().equals(Topics.CALLS.name()))
                        .map(Map.Entry::getValue).mapToLong(OffsetAndMetadata::offset).sum();
                if (committed >= CALLS) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("the rollup committed " + committed + " of " + CALLS + " calls within 90 s");
        }
    }
}

package io.mcpslo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
                ProcessorItSupport.awaitRunning(processor);
                ProcessorItSupport.sendCalls(broker, CALLS);
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

    /** The rollup task has committed (state and offsets together, exactly once) every validated call. */
    private static void awaitRollupCommitted(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ProcessorItSupport.awaitCommitted(admin, APPLICATION_ID, Topics.CALLS.name(), CALLS);
        }
    }
}

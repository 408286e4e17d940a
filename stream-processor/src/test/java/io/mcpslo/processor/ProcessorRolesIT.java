package io.mcpslo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor's roles apart, through a real broker and ClickHouse: an instance running only the Streams
 * application stores nothing and joins no sink group; an instance running only the sink stores what the first
 * one produced, and has no Streams application.
 */
class ProcessorRolesIT {

    private static final String APPLICATION_ID = "roles-it-" + UUID.randomUUID();
    private static final int CALLS = 400;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ClickHouseClient clickHouse;

    @BeforeAll
    static void start() {
        clickHouse = ClickHouseTestSupport.freshDatabase("processor_roles");
    }

    @AfterAll
    static void stop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    private static ProcessorConfig config(EmbeddedKafkaBroker broker, String roles) throws Exception {
        return ProcessorConfig.from(new Settings(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "CLICKHOUSE_URL", clickHouse.config().url().toString(),
                "CLICKHOUSE_DATABASE", clickHouse.database(),
                "PROCESSOR_APPLICATION_ID", APPLICATION_ID,
                "PROCESSOR_STATE_DIR", Files.createTempDirectory("mcp-slo-roles").toString(),
                "PROCESSOR_METRICS_PORT", "0",
                "PROCESSOR_ROLES", roles,
                "SINK_FLUSH_INTERVAL", "200ms")));
    }

    @Test
    void aStreamsInstanceAndASinkInstanceTogetherStoreEveryCallOnce() throws Exception {
        String stored = "SELECT count() AS n FROM " + clickHouse.database() + ".calls FINAL";
        String rolledUp = "SELECT sum(calls) AS n FROM " + clickHouse.database() + ".call_rollups_1m FINAL";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
             StreamProcessor streamsOnly = StreamProcessor.start(config(broker, "streams"))) {
            ProcessorItSupport.awaitRunning(streamsOnly);
            ProcessorItSupport.sendCalls(broker, CALLS);
            ProcessorItSupport.awaitCommitted(admin, APPLICATION_ID, Topics.CALLS.name(), CALLS);
            assertEquals(List.of(), sinkGroups(admin), "a streams-only instance runs no sink consumer");
            assertEquals(0, clickHouse.query(stored).get(0).get("n").asLong(), "nothing stored without a sink");
            assertTrue(health(streamsOnly).contains("\"roles\":\"streams\""), health(streamsOnly));

            try (StreamProcessor sinkOnly = StreamProcessor.start(config(broker, "sink"))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline && (clickHouse.query(stored).get(0).get("n").asLong() < CALLS
                        || clickHouse.query(rolledUp).get(0).get("n").asLong() < CALLS)) {
                    Thread.sleep(250);
                }
                assertEquals(CALLS, clickHouse.query(stored).get(0).get("n").asLong(), "raw calls stored by the sink");
                assertEquals(CALLS, clickHouse.query(rolledUp).get(0).get("n").asLong(), "rollups stored by the sink");
                assertThrows(IllegalStateException.class, sinkOnly::state, "a sink-only instance has no Streams app");
                String health = health(sinkOnly);
                assertTrue(health.contains("\"status\":\"up\"") && health.contains("\"roles\":\"sink\""), health);
                assertTrue(sinkGroups(admin).size() > 0, "the sink instance joined the sink groups");
            }
        }
    }

    private static List<String> sinkGroups(Admin admin) throws Exception {
        return admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                .map(ConsumerGroupListing::groupId).filter(group -> group.startsWith("mcp-slo-sink-")).toList();
    }

    private static String health(StreamProcessor processor) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.metricsPort() + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

package io.mcpslo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.EventCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole paging path through the real parts: events into the broker, the stream-processor evaluating an SLO
 * loaded from a folder, a webhook receiver on loopback, the alert history in ClickHouse. The processor is
 * restarted mid-incident with its local state wiped, so its alert state must come back from Kafka.
 */
class SloPagingRestartIT {

    private static EmbeddedKafkaBroker broker;
    private static ClickHouseClient clickHouse;
    private static HttpServer receiver;
    private static final List<JsonNode> pages = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, byte[]> events;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        clickHouse = ClickHouseTestSupport.freshDatabase("paging");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            pages.add(EventCodec.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        events = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "linger.ms", 5), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        events.close();
        receiver.stop(0);
        broker.close();
        ClickHouseTestSupport.drop(clickHouse);
    }

    private static Path sloFolder() throws Exception {
        Path folder = Files.createTempDirectory("mcp-slo-slos");
        Files.writeString(folder.resolve("github.yaml"), """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: github-transport
                team: devtools
                scope: {server: github}
                sli: {availability: {failures: transport}}
                objective: 0.99
                window: 1h
                alerting:
                  budget_exhausted: false
                  rules:
                    - {severity: page, long_window: 10m, short_window: 1m, burn_rate: 10}
                ---
                apiVersion: mcp-slo/v1
                kind: Receiver
                name: local-hook
                type: webhook
                url: http://127.0.0.1:%d/pages
                """.formatted(receiver.getAddress().getPort()));
        return folder;
    }

    private static ProcessorConfig config(Path slos) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CLICKHOUSE_URL", clickHouse.config().url().toString());
        env.put("CLICKHOUSE_DATABASE", clickHouse.database());
        env.put("PROCESSOR_APPLICATION_ID", "paging-it");
        env.put("PROCESSOR_STATE_DIR", Files.createTempDirectory("mcp-slo-state").toString());
        env.put("PROCESSOR_METRICS_PORT", "0");
        env.put("SLO_DIR", slos.toString());
        env.put("SINK_FLUSH_INTERVAL", "200ms");
        env.put("NOTIFY_MAX_RETRY_BACKOFF", "1s");
        return ProcessorConfig.from(new Settings(env));
    }

    private static void send(int count, String outcome) {
        for (int i = 0; i < count; i++) {
            String json = """
                    {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","server_version":"1.0",\
                    "tool":"search","method":"tools/call","duration_ms":12,"outcome":"%s"}"""
                    .formatted(UUID.randomUUID(), Instant.now(), outcome);
            events.send(new ProducerRecord<>(Topics.EVENTS.name(), "github|search", json.getBytes(StandardCharsets.UTF_8)));
        }
        events.flush();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; pages so far: " + pages);
            }
            Thread.sleep(200);
        }
    }

    private static long pagesTo(String state) {
        return pages.stream().filter(page -> page.get("to").asText().equals(state)).count();
    }

    @Test
    void anIncidentPagesOnceAndResolvesOnceAcrossARestartThatWipesLocalState() throws Exception {
        Path slos = sloFolder();
        StreamProcessor processor = StreamProcessor.start(config(slos));
        try {
            send(300, "ok");
            Thread.sleep(2_000);
            long outageStart = System.nanoTime();
            while (pagesTo("firing") == 0) {
                send(5, "transport_error");
                Thread.sleep(200);
                if (System.nanoTime() - outageStart > Duration.ofSeconds(90).toNanos()) {
                    throw new AssertionError("no page 90 s into a full outage");
                }
            }
        } finally {
            processor.close();
        }

        processor = StreamProcessor.start(config(slos));
        try {
            for (int i = 0; i < 25; i++) {
                send(5, "transport_error");
                Thread.sleep(200);
            }
            send(20_000, "ok");
            await("the resolve", Duration.ofSeconds(90), () -> pagesTo("resolved") >= 1);
            Thread.sleep(3_000);
            assertEquals(1, pagesTo("firing"), "restarting mid-incident must not page again: " + pages);
            assertEquals(1, pagesTo("resolved"));
            String dedupKey = pages.get(0).get("dedup_key").asText();
            assertEquals(dedupKey, pages.get(1).get("dedup_key").asText());
            assertEquals("github-transport", pages.get(0).get("slo_id").asText());
            assertTrue(pages.get(0).get("link").asText().endsWith("/api/v1/slos/github-transport"));

            String history = "SELECT to_state FROM " + clickHouse.database() + ".alert_events FINAL WHERE dedup_key = '"
                    + dedupKey + "' ORDER BY at_ms";
            await("the alert history in ClickHouse", Duration.ofSeconds(30),
                    () -> clickHouse.query(history).size() >= 2);
            assertEquals(List.of("firing", "resolved"),
                    clickHouse.query(history).stream().map(row -> row.get("to_state").asText()).toList());
            String deliveries = "SELECT count() AS n FROM " + clickHouse.database()
                    + ".alert_deliveries FINAL WHERE dedup_key = '" + dedupKey + "' AND result = 'delivered'";
            await("the delivery log", Duration.ofSeconds(30),
                    () -> clickHouse.query(deliveries).get(0).get("n").asLong() == 2);
            String statuses = "SELECT count() AS n FROM " + clickHouse.database()
                    + ".slo_status WHERE slo_id = 'github-transport'";
            assertTrue(clickHouse.query(statuses).get(0).get("n").asLong() >= 2, "status snapshots are stored");
        } finally {
            processor.close();
        }
    }
}

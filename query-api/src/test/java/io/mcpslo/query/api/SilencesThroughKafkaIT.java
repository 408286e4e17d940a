package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.kafka.SilenceTopicReader;
import io.mcpslo.kafka.Topics;
import io.mcpslo.processor.notify.DeliveryLoop;
import io.mcpslo.processor.notify.NotifySettings;
import io.mcpslo.clickhouse.storage.ClickHouseAuditStore;
import io.mcpslo.clickhouse.storage.ClickHouseCallStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.clickhouse.storage.ClickHouseDeadLetterStore;
import io.mcpslo.clickhouse.storage.ClickHouseRollupStore;
import io.mcpslo.clickhouse.storage.ClickHouseSloStore;
import io.mcpslo.query.store.KafkaSilenceStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Silences travel on the compacted silences topic, from the API to the delivery loops, through a real broker, with
 * no ClickHouse anywhere on the way: the API's ClickHouse is a closed port and the delivery side has none.
 */
class SilencesThroughKafkaIT {

    private static final NotifySettings FAST = new NotifySettings(Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofHours(1), "http://127.0.0.1:8080");
    private static Javalin app;
    private static KafkaProducer<String, DeliveryAttempt> attempts;

    /** A ClickHouse that is not there: a port nobody listens on. */
    private static ClickHouseClient unreachableClickHouse() {
        return new ClickHouseClient(new ClickHouseConfig(URI.create("http://127.0.0.1:" + freePort()), "default", "",
                "nowhere", Duration.ofSeconds(2)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void start() {
        app = ApiTestKit.start(unreachableClickHouse(), List::of, Clock.systemUTC());
        attempts = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", ApiTestKit.bootstrapServers()),
                new StringSerializer(), Topics.DELIVERIES.valueSerde().serializer());
    }

    @AfterAll
    static void stop() {
        attempts.close();
        app.stop();
    }

    /** A PagerDuty-speaking receiver on loopback that records the dedup key of every event it is sent. */
    private static final class Receiver implements AutoCloseable {
        final String name = "silence-it-" + UUID.randomUUID();
        final List<String> dedupKeys = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                JsonNode body = io.mcpslo.schemas.EventCodec.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                dedupKeys.add(body.path("dedup_key").asText());
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
        }

        ReceiverConfig config() {
            return new ReceiverConfig(name, ReceiverType.PAGERDUTY,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "routing-1", Set.of(), Set.of());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The delivery side of a stream-processor: the silences read from their topic, and one delivery loop. */
    private record DeliverySide(SilenceTopicReader silences, DeliveryLoop loop, Thread thread) implements AutoCloseable {
        static DeliverySide start(ReceiverConfig receiver) throws InterruptedException {
            SilenceTopicReader silences = new SilenceTopicReader(ApiTestKit.bootstrapServers()).start();
            assertTrue(silences.awaitCaughtUp(Duration.ofSeconds(30)), "the silences topic was replayed");
            DeliveryLoop loop = new DeliveryLoop(receiver, ApiTestKit.bootstrapServers(), attempts, silences::active,
                    FAST, Clock.systemUTC());
            Thread thread = new Thread(loop, "silence-it-" + receiver.name());
            thread.start();
            return new DeliverySide(silences, loop, thread);
        }

        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(10_000);
            silences.close();
        }
    }

    private static AlertTransition firing(String sloId) {
        Instant now = Instant.now();
        return new AlertTransition(sloId, "devtools", AlertKind.PAGE, Severity.PAGE, AlertStatus.INACTIVE,
                AlertStatus.FIRING, now, now, "mcp-slo:" + sloId + ":page:" + UUID.randomUUID(), sloId + " burns",
                Map.of("1h", 20.0), 0.4, "page-1h-5m");
    }

    private static void publish(AlertTransition transition) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", ApiTestKit.bootstrapServers()),
                new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS.name(), transition.dedupKey(), transition)).get();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Results recorded for one alert by one receiver, read from the deliveries topic. */
    private static List<DeliveryAttempt.Result> results(String receiver, String dedupKey) {
        List<DeliveryAttempt.Result> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", ApiTestKit.bootstrapServers(),
                "group.id", "silence-it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
                Topics.DELIVERIES.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.DELIVERIES.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().receiver().equals(receiver) && record.value().dedupKey().equals(dedupKey)) {
                        found.add(record.value().result());
                    }
                }
                if (!consumer.assignment().isEmpty() && consumer.assignment().stream()
                        .allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
                    break;
                }
            }
        }
        return found;
    }

    private static String createSilence(String sloId) {
        HttpResponse<String> created = ApiTestKit.call(app, ApiTestKit.sre, "POST", "/api/v1/silences",
                "{\"matchers\": {\"slo\": \"" + sloId + "\"}, \"duration\": \"1h\", \"comment\": \"maintenance\"}");
        assertEquals(201, created.statusCode(), created.body());
        return ApiTestKit.json(created).get("id").asText();
    }

    /** Sends an alert of {@code sloId} and waits until the delivery side settled it: true if it was delivered. */
    private static boolean delivered(Receiver receiver, String sloId) throws Exception {
        AlertTransition alert = firing(sloId);
        publish(alert);
        List<DeliveryAttempt.Result> settled = new ArrayList<>();
        await("the alert settled", () -> {
            settled.clear();
            settled.addAll(results(receiver.name, alert.dedupKey()));
            return settled.contains(DeliveryAttempt.Result.DELIVERED) || settled.contains(DeliveryAttempt.Result.SILENCED);
        });
        assertEquals(settled.contains(DeliveryAttempt.Result.DELIVERED), receiver.dedupKeys.contains(alert.dedupKey()),
                "the receiver got exactly the alerts recorded as delivered");
        return settled.contains(DeliveryAttempt.Result.DELIVERED);
    }

    @Test
    void aSilenceCreatedThroughTheApiMutesDeliveryAndItsExpiryUnmutesIt() throws Exception {
        String sloId = "quiet-" + UUID.randomUUID();
        try (Receiver receiver = new Receiver(); DeliverySide side = DeliverySide.start(receiver.config())) {
            assertTrue(delivered(receiver, sloId), "without a silence the alert goes out");

            String id = createSilence(sloId);
            assertFalse(delivered(receiver, sloId), "the silence created through the API mutes it");

            HttpResponse<String> expired = ApiTestKit.call(app, ApiTestKit.sre, "DELETE", "/api/v1/silences/" + id, null);
            assertEquals(200, expired.statusCode(), expired.body());
            await("the expiry read by the delivery side", () -> side.silences().snapshot().find(id)
                    .map(silence -> !silence.activeAt(Instant.now())).orElse(false));
            assertTrue(delivered(receiver, sloId), "once expired the silence no longer applies");
        }
    }

    @Test
    void aRestartedProcessorStillKnowsTheSilenceFromTheCompactedTopic() throws Exception {
        String sloId = "quiet-" + UUID.randomUUID();
        try (Receiver receiver = new Receiver()) {
            try (DeliverySide first = DeliverySide.start(receiver.config())) {
                createSilence(sloId);
                assertFalse(delivered(receiver, sloId));
            }
            // a new process: its reader starts empty and replays the topic from the beginning
            try (DeliverySide restarted = DeliverySide.start(receiver.config())) {
                assertFalse(delivered(receiver, sloId), "the restarted delivery side still mutes it");
            }
        }
    }

    @Test
    void malformedRecordsOnTheSilencesTopicAreSkippedAndCountedAndSilencesKeepWorking() throws Exception {
        String sloId = "quiet-" + UUID.randomUUID();
        try (Receiver receiver = new Receiver(); DeliverySide side = DeliverySide.start(receiver.config())) {
            long skippedBefore = side.silences().snapshot().skipped();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    ApiTestKit.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.SILENCES.name(), "junk-" + UUID.randomUUID(),
                        "{not json".getBytes(StandardCharsets.UTF_8))).get();
                producer.send(new ProducerRecord<>(Topics.SILENCES.name(), "future-" + UUID.randomUUID(),
                        "{\"v\": 2, \"id\": \"x\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            String id = createSilence(sloId);
            await("the bad records counted", () -> side.silences().snapshot().skipped() >= skippedBefore + 2);
            assertFalse(delivered(receiver, sloId), "a silence after the bad records still mutes");
            HttpResponse<String> listed = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/silences", null);
            assertEquals(200, listed.statusCode(), listed.body());
            assertTrue(ApiTestKit.json(listed).get("silences").findValuesAsText("id").contains(id), listed.body());
        }
    }

    @Test
    void withKafkaDownCreatingASilenceAnswers503WithAClearMessage() throws Exception {
        String nowhere = "127.0.0.1:" + freePort();
        var silences = new KafkaSilenceStore(nowhere, Duration.ofSeconds(2));
        ClickHouseClient clickHouse = unreachableClickHouse();
        var reports = new ClickHouseReportStore(clickHouse);
        var services = new QueryApp.Services(new ClickHouseRollupStore(clickHouse), new ClickHouseSloStore(clickHouse),
                new ClickHouseAuditStore(clickHouse), event -> { }, List::of,
                new BearerAuth(new TokenStore(ApiTestKit.tokens)), ApiTestKit.DIGEST_KEY, reports,
                new ReportService(reports, List::of, java.time.ZoneOffset.UTC, Optional.empty(), Clock.systemUTC()),
                new ClickHouseDeadLetterStore(clickHouse), new ClickHouseCallStore(clickHouse), TraceLinks.none(),
                silences, new io.mcpslo.query.store.InMemoryAckPublisher());
        Javalin down = QueryApp.create("127.0.0.1", services, Clock.systemUTC(), 10_000,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(0);
        try {
            HttpResponse<String> created = ApiTestKit.call(down, ApiTestKit.sre, "POST", "/api/v1/silences",
                    "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"1h\", \"comment\": \"c\"}");
            assertEquals(503, created.statusCode(), created.body());
            assertTrue(ApiTestKit.json(created).get("error").asText().contains("Kafka"), created.body());
            HttpResponse<String> listed = ApiTestKit.call(down, ApiTestKit.sre, "GET", "/api/v1/silences", null);
            assertEquals(503, listed.statusCode(), listed.body());
        } finally {
            down.stop();
            silences.close();
        }
    }
}

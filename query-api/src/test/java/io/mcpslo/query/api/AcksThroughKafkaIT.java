package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.storage.ClickHouseAuditStore;
import io.mcpslo.clickhouse.storage.ClickHouseCallStore;
import io.mcpslo.clickhouse.storage.ClickHouseDeadLetterStore;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.clickhouse.storage.ClickHouseRollupStore;
import io.mcpslo.clickhouse.storage.ClickHouseSloStore;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.kafka.Topics;
import io.mcpslo.processor.notify.AckDeliveryLoop;
import io.mcpslo.processor.notify.DeliveryLoop;
import io.mcpslo.processor.notify.NotifySettings;
import io.mcpslo.processor.notify.PagedIncidents;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.query.store.InMemorySilenceStore;
import io.mcpslo.query.store.KafkaAckPublisher;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An acknowledgement made through the API travels on the acknowledgements topic to a PagerDuty receiver that was
 * paged for the incident, through a real broker; with Kafka unreachable the API refuses it with a 503.
 */
class AcksThroughKafkaIT {

    private static final NotifySettings FAST = new NotifySettings(Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofHours(1), "http://127.0.0.1:8080");
    private static final String DEDUP_KEY = "mcp-slo:jira-availability:page:" + UUID.randomUUID();
    private static ClickHouseClient clickHouse;
    private static Javalin app;
    private static AlertTransition firing;

    @BeforeAll
    static void start() {
        clickHouse = ClickHouseTestSupport.freshDatabase("acks");
        var store = new ClickHousePipelineStore(clickHouse, Clock.systemUTC());
        store.prepare();
        Instant now = Instant.now();
        firing = new AlertTransition("jira-availability", "tracker", AlertKind.PAGE, Severity.PAGE,
                AlertStatus.INACTIVE, AlertStatus.FIRING, now, now, DEDUP_KEY, "jira burns", Map.of("1h", 20.0), 0.4,
                "page-1h-5m");
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), List.of(firing), List.of(), List.of(),
                List.of(), List.of()));
        app = ApiTestKit.start(clickHouse, List::of, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(clickHouse);
    }

    /** A PagerDuty-speaking receiver on loopback that records every body it is sent. */
    private static final class PagerDuty implements AutoCloseable {
        final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        final HttpServer server;

        PagerDuty() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                bodies.add(EventCodec.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
        }

        ReceiverConfig config() {
            return new ReceiverConfig("ack-it-" + UUID.randomUUID(), ReceiverType.PAGERDUTY,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "routing-1", Set.of(),
                    Set.of());
        }

        List<String> actions(String dedupKey) {
            return bodies.stream().filter(body -> dedupKey.equals(body.path("dedup_key").asText()))
                    .map(body -> body.get("event_action").asText()).toList();
        }

        @Override
        public void close() {
            server.stop(0);
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

    @Test
    void anAcknowledgementThroughTheApiReachesThePagerDutyReceiverThatWasPaged() throws Exception {
        String bootstrap = ApiTestKit.bootstrapServers();
        try (PagerDuty pagerDuty = new PagerDuty();
             var attempts = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                     new StringSerializer(), Topics.DELIVERIES.valueSerde().serializer());
             var paged = new PagedIncidents(bootstrap).start()) {
            ReceiverConfig receiver = pagerDuty.config();
            var pages = new DeliveryLoop(receiver, bootstrap, attempts, now -> List.of(), FAST, Clock.systemUTC());
            var acks = new AckDeliveryLoop(receiver, bootstrap, paged, FAST, Clock.systemUTC());
            List<Thread> threads = List.of(new Thread(pages, "ack-it-pages"), new Thread(acks, "ack-it-acks"));
            threads.forEach(Thread::start);
            try {
                try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                        new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
                    producer.send(new ProducerRecord<>(Topics.ALERTS.name(), DEDUP_KEY, firing)).get();
                }
                await("the page", () -> pagerDuty.actions(DEDUP_KEY).contains("trigger"));

                HttpResponse<String> acked = ApiTestKit.call(app, ApiTestKit.sre, "POST",
                        "/api/v1/alerts/" + DEDUP_KEY + "/ack", "{\"comment\": \"on it\"}");
                assertEquals(201, acked.statusCode(), acked.body());
                assertEquals("sre-sam", ApiTestKit.json(acked).get("acked_by").asText());

                await("the acknowledgement", () -> pagerDuty.actions(DEDUP_KEY).contains("acknowledge"));
                Thread.sleep(1_000); // nothing more may come
                assertEquals(List.of("trigger", "acknowledge"), pagerDuty.actions(DEDUP_KEY));
            } finally {
                pages.close();
                acks.close();
                for (Thread thread : threads) {
                    thread.join(10_000);
                }
            }
        }
    }

    @Test
    void withKafkaDownAnAcknowledgementAnswers503WithAClearMessageAndAnUnknownAlertStill404() throws Exception {
        String nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = "127.0.0.1:" + socket.getLocalPort();
        }
        var acks = new KafkaAckPublisher(nowhere, Duration.ofSeconds(2));
        var reports = new ClickHouseReportStore(clickHouse);
        var services = new QueryApp.Services(new ClickHouseRollupStore(clickHouse), new ClickHouseSloStore(clickHouse),
                new ClickHouseAuditStore(clickHouse), event -> { }, List::of,
                new BearerAuth(new TokenStore(ApiTestKit.tokens)), ApiTestKit.DIGEST_KEY, reports,
                new ReportService(reports, List::of, java.time.ZoneOffset.UTC, Optional.empty(), Clock.systemUTC()),
                new ClickHouseDeadLetterStore(clickHouse), new ClickHouseCallStore(clickHouse), TraceLinks.none(),
                new InMemorySilenceStore(), acks);
        Javalin down = QueryApp.create("127.0.0.1", services, Clock.systemUTC(), 10_000,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(0);
        try {
            HttpResponse<String> refused = ApiTestKit.call(down, ApiTestKit.sre, "POST",
                    "/api/v1/alerts/" + DEDUP_KEY + "/ack", "{\"comment\": \"on it\"}");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""));
            String error = ApiTestKit.json(refused).get("error").asText();
            assertTrue(error.contains("acknowledgement was not stored") && error.contains("Kafka"), error);
            assertEquals(404, ApiTestKit.call(down, ApiTestKit.sre, "POST", "/api/v1/alerts/mcp-slo:none:page:1/ack",
                    "{}").statusCode(), "the alert is looked up before anything is published");
        } finally {
            down.stop();
            acks.close();
        }
    }
}

package io.mcpslo.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.Role;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.kafka.Topics;
import io.mcpslo.clickhouse.storage.ClickHouseAuditStore;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.query.audit.KafkaAuditRecorder;
import io.mcpslo.clickhouse.storage.ClickHouseCallStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.clickhouse.storage.ClickHouseDeadLetterStore;
import io.mcpslo.clickhouse.storage.ClickHouseRollupStore;
import io.mcpslo.clickhouse.storage.ClickHouseSloStore;
import io.mcpslo.query.store.InMemoryAckPublisher;
import io.mcpslo.query.store.InMemorySilenceStore;
import io.mcpslo.query.store.KafkaAckPublisher;
import io.mcpslo.query.store.KafkaSilenceStore;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.storage.memory.InMemoryStorage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the query API's integration tests share: one real broker (the API writes its audit events there), a token
 * per role, and a way to start the API and call it with a token.
 */
final class ApiTestKit {

    static final byte[] DIGEST_KEY = "integration-test-digest-key-0123".getBytes(StandardCharsets.UTF_8);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedKafkaBroker broker;
    static Path tokens;
    static String sre;
    static String auditor;
    static final String TRACE_TEMPLATE = "https://tempo.example/explore?trace={trace_id}&span={span_id}";
    static String devtools;
    static String tracker;
    static String admin;
    static String gateway;

    private ApiTestKit() {
    }

    static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start();
            TopicAdmin.ensureTopics(KafkaSettings.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                    broker.bootstrapServers()))), Duration.ofSeconds(30));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            createTokens();
        }
        return broker.bootstrapServers();
    }

    /** A token per role in a fresh token file (once per test JVM). */
    static synchronized void createTokens() {
        if (tokens == null) {
            try {
                tokens = Files.createTempDirectory("mcp-slo-api-tokens").resolve("tokens");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sre = TokenStore.create(tokens, "sre-sam", Set.of(new Role.Sre()));
            auditor = TokenStore.create(tokens, "auditor-ada", Set.of(new Role.Auditor()));
            devtools = TokenStore.create(tokens, "dev-dora", Set.of(new Role.Team("devtools")));
            tracker = TokenStore.create(tokens, "tracker-tim", Set.of(new Role.Team("tracker")));
            admin = TokenStore.create(tokens, "admin-al", Set.of(new Role.Admin()));
            gateway = TokenStore.create(tokens, "gw", Set.of(new Role.Gateway("gw")));
        }
    }

    /**
     * The API on the in-memory storage, without Kafka: its own audit events go to {@code audited}, silences and
     * acknowledgements stay in memory. For what does not depend on SQL: parameters, shapes, roles.
     */
    static Javalin startInMemory(InMemoryStorage storage, Supplier<List<SloDefinition>> slos, Clock clock,
                                 List<AuditEvent> audited) {
        createTokens();
        AuditRecorder recorder = audited::add;
        var services = new QueryApp.Services(storage.rollups(), storage.slos(), storage.audit(), recorder, slos,
                new BearerAuth(new TokenStore(tokens)), DIGEST_KEY, storage.reports(),
                new ReportService(storage.reports(), slos, java.time.ZoneId.of("UTC"), java.util.Optional.empty(),
                        clock), storage.deadLetters(), storage.calls(),
                new TraceLinks(java.util.Optional.of(TRACE_TEMPLATE)), new InMemorySilenceStore(),
                new InMemoryAckPublisher());
        return QueryApp.create("127.0.0.1", services, clock, 10_000,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(0);
    }

    static Javalin start(ClickHouseClient client, Supplier<List<SloDefinition>> slos, Clock clock) {
        var recorder = new KafkaAuditRecorder(bootstrapServers(), Duration.ofSeconds(10));
        var services = new QueryApp.Services(new ClickHouseRollupStore(client), new ClickHouseSloStore(client),
                new ClickHouseAuditStore(client), recorder, slos, new BearerAuth(new TokenStore(tokens)), DIGEST_KEY,
                new ClickHouseReportStore(client), new ReportService(new ClickHouseReportStore(client), slos,
                        java.time.ZoneId.of("UTC"), java.util.Optional.empty(), clock), new ClickHouseDeadLetterStore(client),
                new ClickHouseCallStore(client), new TraceLinks(java.util.Optional.of(TRACE_TEMPLATE)),
                new KafkaSilenceStore(bootstrapServers(), Duration.ofSeconds(10)),
                new KafkaAckPublisher(bootstrapServers(), Duration.ofSeconds(10)));
        Javalin app = QueryApp.create("127.0.0.1", services, clock, 10_000,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(0);
        app.events(events -> events.serverStopped(() -> {
            recorder.close();
            ((KafkaSilenceStore) services.silences()).close();
            ((KafkaAckPublisher) services.acks()).close();
        }));
        return app;
    }

    static HttpResponse<String> call(Javalin app, String token, String method, String pathAndQuery, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return EventCodec.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audit events the API published, read back from the raw event topic up to its current end. */
    static List<AuditEvent> publishedAuditEvents() {
        List<AuditEvent> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers(),
                "group.id", "api-it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (EventCodec.decodeTrusted(EventCodec.parse(record.value())) instanceof AuditEvent audit) {
                            found.add(audit);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return found;
    }
}

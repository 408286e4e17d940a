package io.mcpslo.processor.sink;

import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink against the real broker and ClickHouse: the store down then up, a replay, poison records, ClickHouse
 * refusing a table for its own reasons, and a second sink instance joining and leaving during an outage.
 * Each test writes under its own server name into one database, so they do not see each other's rows.
 */
class SinkIT {

    private static final SinkSettings FAST = new SinkSettings(1_000, Duration.ofMillis(100), Duration.ofSeconds(1));
    private static final SinkTable<?> CALLS = table("calls");
    private static final SinkTable<?> AUDIT = table("audit_events");
    private static EmbeddedKafkaBroker broker;
    private static ClickHouseClient clickHouse;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        TopicAdmin.ensureTopics(KafkaSettings.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers()))), Duration.ofSeconds(30));
        clickHouse = ClickHouseTestSupport.freshDatabase("sink");
        new ClickHousePipelineStore(clickHouse, Clock.systemUTC()).prepare();
    }

    @AfterAll
    static void stop() {
        broker.close();
        ClickHouseTestSupport.drop(clickHouse);
    }

    private static SinkTable<?> table(String name) {
        return SinkTable.ALL.stream().filter(table -> table.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<CallEvent> calls(String server, int n) {
        List<CallEvent> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(call(server, "tool_" + (i % 3), i));
        }
        return calls;
    }

    private static CallEvent call(String server, String tool, int i) {
        var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i),
                "gw", server, "1", tool, "tools/call", null, null, null, null, null, null);
        return new CallEvent(envelope, i, Outcome.OK, null, null, null, null);
    }

    /** Returns once the broker acknowledged every call, so the tests count what really is on the topic. */
    private static void produce(List<CallEvent> calls) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.CALLS.valueSerde().serializer())) {
            var sent = calls.stream()
                    .map(call -> producer.send(new ProducerRecord<>(Topics.CALLS.name(), call.partitionKey(), call)))
                    .toList();
            for (var future : sent) {
                future.get();
            }
        }
    }

    private static void produceRaw(String topic, String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static long committedOffsets(SinkTable<?> table) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(table.groupId()).partitionsToOffsetAndMetadata().get()
                    .values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql) {
        return clickHouse.query(sql).get(0).get("n").asLong();
    }

    private static long storedCalls(String server) {
        return count("SELECT count() AS n FROM calls FINAL WHERE server = '" + server + "'");
    }

    private static void await(String what, long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(expected, actual.getAsLong(), what);
    }

    private static Sink sink(ClickHouseClient client, SimpleMeterRegistry registry, SinkTable<?>... tables) {
        return new Sink(List.of(tables), broker.bootstrapServers(), new ClickHousePipelineStore(client, Clock.systemUTC()),
                FAST, registry, Clock.systemUTC()).start();
    }

    private static void attachCallsIfDetached() {
        String db = clickHouse.database();
        if (count("SELECT count() AS n FROM system.tables WHERE database = '" + db + "' AND name = 'calls'") == 0) {
            clickHouse.execute("ATTACH TABLE " + db + ".calls");
        }
    }

    private static double metric(SimpleMeterRegistry registry, String name, SinkTable<?> table) {
        var counter = registry.find(name).tag("table", table.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void offsetsWaitForClickHouseAndAReplayCollapses() throws Exception {
        long offsetsBefore = committedOffsets(CALLS);
        List<CallEvent> calls = calls("replay", 50);
        produce(calls);

        var downRegistry = new SimpleMeterRegistry();
        var unreachable = new ClickHouseClient(ClickHouseConfig.from(new Settings(Map.of(
                "CLICKHOUSE_URL", "http://127.0.0.1:1", "CLICKHOUSE_TIMEOUT", "1s"))));
        try (var down = sink(unreachable, downRegistry, CALLS)) {
            await("write attempts while ClickHouse is down", 1,
                    () -> Math.min(1, (long) metric(downRegistry, "mcp_sink_write_failures", CALLS)));
            assertTrue(down.unavailableTables().containsKey("calls"), "the sink says which table waits");
        }
        assertEquals(offsetsBefore, committedOffsets(CALLS), "no offset may move while ClickHouse is unreachable");

        var upRegistry = new SimpleMeterRegistry();
        try (var up = sink(clickHouse, upRegistry, CALLS)) {
            await("rows once ClickHouse is reachable", 50, () -> storedCalls("replay"));
            await("offsets after ClickHouse accepted", offsetsBefore + 50, () -> committedOffsets(CALLS));
            produce(calls);
            await("offsets after the replay", offsetsBefore + 100, () -> committedOffsets(CALLS));
            assertTrue(up.unavailableTables().isEmpty());
        }
        assertEquals(100, metric(upRegistry, "mcp_sink_records_written", CALLS), "the replay reached ClickHouse");
        assertEquals(50, storedCalls("replay"), "and collapsed");
    }

    @Test
    void silencesOnTheirTopicAreKeptAsHistoryWithTheirLastFormAndABadRecordIsADeadLetter() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant created = Instant.parse("2026-11-30T10:00:00Z");
        var silence = new Silence(id, Map.of("slo", "jira", "team", "tracker"), created, created.plusSeconds(7200),
                "sre-sam", "maintenance");
        var expired = new Silence(id, silence.matchers(), created, created.plusSeconds(600), "sre-sam", "maintenance");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.SILENCES.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.SILENCES.name(), id, new SilenceRevision(silence, created))).get();
            producer.send(new ProducerRecord<>(Topics.SILENCES.name(), id,
                    new SilenceRevision(expired, created.plusSeconds(600)))).get();
        }
        produceRaw(Topics.SILENCES.name(), "junk", "{\"v\": 9}".getBytes(StandardCharsets.UTF_8));
        SinkTable<?> silences = table("silences");
        var registry = new SimpleMeterRegistry();
        try (var sink = sink(clickHouse, registry, silences)) {
            await("both revisions stored", 2, () -> count("SELECT count() AS n FROM silences WHERE id = '" + id + "'"));
            await("the bad record handled", 1, () -> (long) metric(registry, "mcp_sink_dead_letters", silences));
        }
        JsonNode last = clickHouse.query("SELECT toUnixTimestamp(ends_at) AS ends_at, matchers FROM silences FINAL"
                + " WHERE id = '" + id + "'").get(0);
        assertEquals(created.plusSeconds(600).getEpochSecond(), last.get("ends_at").asLong(), "the expiry is the last form");
        assertEquals("{\"slo\":\"jira\",\"team\":\"tracker\"}", last.get("matchers").asText());
    }

    /** Each field of a call lands in its own column, whether every optional field is set or none is. */
    @Test
    void everyFieldOfACallLandsInItsColumn() {
        Instant at = Instant.parse("2026-11-25T10:15:30.123Z");
        var full = new CallEvent(new EventEnvelope(UUID.fromString("6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41"), at, "gw-eu-1",
                "columns", "2.4.1", "search_code_v2", "tools/call", "2025-11-25", "s-81f2", "alice@example.com",
                "devtools", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), 182.4, Outcome.RATE_LIMITED,
                -32603, "timeout", 7, 5120L);
        var bare = new CallEvent(new EventEnvelope(UUID.fromString("00000000-0000-4000-8000-000000000002"),
                at.plusSeconds(1), "gw", "columns", null, null, "tools/list", null, null, null, null, null, null), 0,
                Outcome.DENIED, null, null, null, null);
        Instant now = Instant.parse("2026-11-30T04:00:00Z");
        new ClickHousePipelineStore(clickHouse, Clock.fixed(now, java.time.ZoneOffset.UTC)).writeCalls(List.of(full, bare));

        List<JsonNode> rows = clickHouse.query("SELECT toString(event_id) AS event_id, toUnixTimestamp(ts) AS ts, ts_ms,"
                + " source, server, server_version, tool, method, protocol_version, session_id, user, team, trace_id,"
                + " span_id, duration_ms, outcome, error_code, error_type, retry, response_bytes,"
                + " toUnixTimestamp(ingested_at) AS ingested_at FROM calls WHERE server = 'columns' ORDER BY ts_ms");
        assertEquals("{\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"ts\":1795601730,\"ts_ms\":1795601730123,"
                + "\"source\":\"gw-eu-1\",\"server\":\"columns\",\"server_version\":\"2.4.1\",\"tool\":\"search_code_v2\","
                + "\"method\":\"tools/call\",\"protocol_version\":\"2025-11-25\",\"session_id\":\"s-81f2\","
                + "\"user\":\"alice@example.com\",\"team\":\"devtools\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"span_id\":\"00f067aa0ba902b7\",\"duration_ms\":182.4,\"outcome\":\"rate_limited\",\"error_code\":-32603,"
                + "\"error_type\":\"timeout\",\"retry\":7,\"response_bytes\":5120,\"ingested_at\":1796011200}",
                rows.get(0).toString());
        assertEquals("{\"event_id\":\"00000000-0000-4000-8000-000000000002\",\"ts\":1795601731,\"ts_ms\":1795601731123,"
                + "\"source\":\"gw\",\"server\":\"columns\",\"server_version\":\"\",\"tool\":\"\",\"method\":\"tools/list\","
                + "\"protocol_version\":\"\",\"session_id\":\"\",\"user\":\"\",\"team\":\"\",\"trace_id\":\"\",\"span_id\":\"\","
                + "\"duration_ms\":0,\"outcome\":\"denied\",\"error_code\":null,\"error_type\":\"\",\"retry\":0,"
                + "\"response_bytes\":null,\"ingested_at\":1796011200}", rows.get(1).toString());
        assertEquals(2, count("SELECT count() AS n FROM calls_by_time WHERE server = 'columns'"), "the time-first copy too");
        assertEquals(List.of("session", "user", "trace"), clickHouse.query("SELECT key_kind FROM call_correlation_times"
                + " WHERE ts_ms IN (SELECT ts_ms FROM calls WHERE server = 'columns') AND key_hash IN (cityHash64('s-81f2'),"
                + " cityHash64('alice@example.com'), cityHash64('4bf92f3577b34da6a3ce929d0e0e4736')) ORDER BY key_kind").stream()
                .map(row -> row.get("key_kind").asText()).toList(),
                "the full call's keys: its session, user and trace; the bare one's: none");
    }

    @Test
    void acknowledgementsOnTheirTopicLandInAlertAcksWithTheLatestPerIncidentAndABadRecordIsADeadLetter()
            throws Exception {
        String dedupKey = "mcp-slo:jira:page:" + UUID.randomUUID();
        Instant first = Instant.parse("2026-11-30T10:00:00Z");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.ACKS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.ACKS.name(), dedupKey,
                    new Acknowledgement(dedupKey, "sre-sam", "looking", first))).get();
            producer.send(new ProducerRecord<>(Topics.ACKS.name(), dedupKey,
                    new Acknowledgement(dedupKey, "dev-dora", "mine now", first.plusSeconds(60)))).get();
        }
        produceRaw(Topics.ACKS.name(), "junk", "{\"v\": 1, \"dedup_key\": 42}".getBytes(StandardCharsets.UTF_8));
        SinkTable<?> acks = table("alert_acks");
        var registry = new SimpleMeterRegistry();
        try (var sink = sink(clickHouse, registry, acks)) {
            await("the acknowledgements stored", 1, () -> count("SELECT count() AS n FROM alert_acks FINAL"
                    + " WHERE dedup_key = '" + dedupKey + "' AND acked_by = 'dev-dora'"));
            await("the bad record handled", 1, () -> (long) metric(registry, "mcp_sink_dead_letters", acks));
        }
        JsonNode last = clickHouse.query("SELECT acked_by, comment, toUnixTimestamp(at) AS at FROM alert_acks FINAL"
                + " WHERE dedup_key = '" + dedupKey + "'").get(0);
        assertEquals("mine now", last.get("comment").asText(), "the later acknowledgement is the one kept");
        assertEquals(first.plusSeconds(60).getEpochSecond(), last.get("at").asLong());
    }

    @Test
    void poisonRecordsGoToTheDeadLettersAndEverythingElseLands() throws Exception {
        long offsetsBefore = committedOffsets(CALLS);
        produce(calls("poison", 20));
        // a lone surrogate: valid JSON (\ud800), which ClickHouse refuses ("missing second part of surrogate pair")
        CallEvent loneSurrogate = call("poison", "x\ud800", 99);
        produce(List.of(loneSurrogate));
        byte[] undecodable = "{\"not\": \"a call\"".getBytes(StandardCharsets.UTF_8);
        produceRaw(Topics.CALLS.name(), "poison|x", undecodable);
        produce(List.of(call("poison", "nul\u0000inside", 100), call("poison", "m".repeat(500_000), 101)));
        produce(calls("poison", 20));
        var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:00:00Z"), "gw", "poison", "1",
                null, null, null, null, null, null, null, null);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.AUDIT.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT.name(), "poison", new AuditEvent(envelope, "alice", null,
                    "server.disable", "poison", null, AuditEvent.Decision.ALLOW, null, "ok", "incident"))).get();
        }

        var registry = new SimpleMeterRegistry();
        try (var sink = sink(clickHouse, registry, CALLS, AUDIT)) {
            await("every record of the calls topic handled", offsetsBefore + 44, () -> committedOffsets(CALLS));
            assertTrue(sink.unavailableTables().isEmpty(), "refused rows are not an unavailable store");
        }
        assertEquals(42, storedCalls("poison"), "40 plain calls, the NUL and the 500 kB tool name are stored");
        assertEquals(1, count("SELECT count() AS n FROM audit_events FINAL WHERE server = 'poison'"),
                "another table goes on");
        assertEquals(2, metric(registry, "mcp_sink_dead_letters", CALLS));
        assertEquals(42, metric(registry, "mcp_sink_records_written", CALLS), "a refused record is not counted as written");

        List<JsonNode> letters = clickHouse.query("SELECT offset, reason, payload_base64, table_name"
                + " FROM sink_dead_letters FINAL WHERE topic = 'mcp.calls.v1' ORDER BY offset");
        assertEquals(2, letters.size(), letters.toString());
        assertTrue(letters.get(0).get("reason").asText().contains("surrogate"), letters.get(0).toString());
        assertArrayEquals(Topics.CALLS.valueSerde().serializer().serialize(Topics.CALLS.name(), loneSurrogate),
                Base64.getDecoder().decode(letters.get(0).get("payload_base64").asText()), "the original bytes are kept");
        assertTrue(letters.get(1).get("reason").asText().startsWith("undecodable"), letters.get(1).toString());
        assertArrayEquals(undecodable, Base64.getDecoder().decode(letters.get(1).get("payload_base64").asText()));
        assertEquals("calls", letters.get(1).get("table_name").asText());
    }

    @Test
    void aTableClickHouseRefusesForItsOwnReasonsWaitsAndLosesNothing() throws Exception {
        long offsetsBefore = committedOffsets(CALLS);
        String db = clickHouse.database();
        clickHouse.execute("DETACH TABLE " + db + ".calls");
        var registry = new SimpleMeterRegistry();
        try (var sink = sink(clickHouse, registry, CALLS)) {
            produce(calls("detached", 30));
            await("write attempts while the table is gone", 1,
                    () -> Math.min(1, (long) metric(registry, "mcp_sink_write_failures", CALLS)));
            Thread.sleep(1_500); // several retries with backoff
            assertEquals(offsetsBefore, committedOffsets(CALLS), "no offset moves while ClickHouse refuses the table");
            assertEquals(0, metric(registry, "mcp_sink_dead_letters", CALLS), "nothing is dead-lettered for it");
            assertTrue(sink.unavailableTables().containsKey("calls"));
            clickHouse.execute("ATTACH TABLE " + db + ".calls");
            await("rows once the table is back", 30, () -> storedCalls("detached"));
            await("offsets once the table is back", offsetsBefore + 30, () -> committedOffsets(CALLS));
        } finally {
            attachCallsIfDetached();
        }
    }

    @Test
    void aSecondInstanceJoiningAndLeavingDuringAnOutageLosesNothing() throws Exception {
        long offsetsBefore = committedOffsets(CALLS);
        String db = clickHouse.database();
        clickHouse.execute("DETACH TABLE " + db + ".calls");
        try {
            var firstRegistry = new SimpleMeterRegistry();
            try (var first = sink(clickHouse, firstRegistry, CALLS)) {
                produce(calls("rebalance", 100));
                await("the first instance fails to write", 1,
                        () -> Math.min(1, (long) metric(firstRegistry, "mcp_sink_write_failures", CALLS)));
                var secondRegistry = new SimpleMeterRegistry();
                try (var second = sink(clickHouse, secondRegistry, CALLS)) {
                    produce(calls("rebalance", 100));
                    await("the second instance joined and fails to write too", 1,
                            () -> Math.min(1, (long) metric(secondRegistry, "mcp_sink_write_failures", CALLS)));
                    Thread.sleep(1_000);
                }
                produce(calls("rebalance", 100));
                Thread.sleep(2_000); // the first instance takes all partitions back, still during the outage
                clickHouse.execute("ATTACH TABLE " + db + ".calls");
                await("every call produced during the outage", 300, () -> storedCalls("rebalance"));
                await("offsets", offsetsBefore + 300, () -> committedOffsets(CALLS));
            }
        } finally {
            attachCallsIfDetached();
        }
    }
}

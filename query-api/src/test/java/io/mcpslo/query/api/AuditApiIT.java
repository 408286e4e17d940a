package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The auditor's API against the real ClickHouse: filters, paging, export, verification, break-glass. */
class AuditApiIT {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    /** Each verification test chains into its own partition, chained on its own day, so the tests stay apart. */
    private static final int INTACT = 20;
    private static final int DELETED = 21;
    private static final int ALTERED = 22;
    private static final int INSERTED = 23;
    private static ClickHouseClient client;
    private static ClickHousePipelineStore store;
    private static Javalin app;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("auditapi");
        store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        for (int partition : new int[] {INTACT, DELETED, ALTERED, INSERTED}) {
            writeChain(partition, 12, chainedDay(partition));
        }
        app = ApiTestKit.start(client, List::of, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static Instant chainedDay(int partition) {
        return Instant.parse("2026-10-01T00:00:00Z").plus(Duration.ofDays(partition));
    }

    /** Alice's acts came from spans (an OTLP log record in a trace); the others from no trace. */
    private static final String ALICES_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static AuditEvent event(Instant ts, String actor, String action, String server, String tool) {
        var envelope = new EventEnvelope(UUID.randomUUID(), ts, "gw-eu-1", server, "2.4.1", tool, "tools/call", null,
                "sess-" + actor, actor, "devtools", actor.equals("alice") ? ALICES_TRACE : null, null);
        return new AuditEvent(envelope, actor, "claude-code/2.1", action, server + "/" + tool,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AuditEvent.Decision.ALLOW,
                "repo-write/v3", "ok", action.contains(".") ? "INC-1: on fire" : null);
    }

    /** Chains {@code count} events in one partition the way the stream does, with a digest every 5 links. */
    private static List<ChainedAudit> writeChain(int partition, int count, Instant chainedAt) {
        List<ChainedAudit> chain = new ArrayList<>();
        List<AuditDigest> digests = new ArrayList<>();
        AuditChain.Link link = null;
        for (int i = 0; i < count; i++) {
            AuditEvent event = event(NOW.minus(Duration.ofHours(count - i)), i % 2 == 0 ? "alice" : "bob",
                    i == 3 ? "server.disable" : "tools/call", "github", "create_pull_request");
            link = AuditChain.next(link, partition, event);
            chain.add(new ChainedAudit(event, link, chainedAt.plusSeconds(i)));
            if (link.seq() % 5 == 0) {
                digests.add(new AuditDigest(partition, link.seq(), link.hash(),
                        AuditChain.digest(ApiTestKit.DIGEST_KEY, partition, link.seq(), link.hash()), chainedAt.plusSeconds(i)));
            }
        }
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), chain, digests));
        return chain;
    }

    private static HttpResponse<String> get(String pathAndQuery) {
        return ApiTestKit.call(app, ApiTestKit.auditor, "GET", pathAndQuery, null);
    }

    private static JsonNode verify(int partition) {
        Instant day = chainedDay(partition);
        HttpResponse<String> response = get("/api/v1/audit/verify?from=" + day + "&to=" + day.plus(Duration.ofDays(1)));
        assertEquals(200, response.statusCode(), response.body());
        return ApiTestKit.json(response);
    }

    private static void mutate(String sql) throws InterruptedException {
        client.execute(sql);
        for (int i = 0; i < 200; i++) {
            if (client.query("SELECT count() AS n FROM system.mutations WHERE database = '" + client.database()
                    + "' AND is_done = 0").get(0).get("n").asLong() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("mutation did not finish: " + sql);
    }

    @Test
    void anUntouchedChainVerifiesIntactIncludingItsSignedDigests() {
        JsonNode report = verify(INTACT);
        assertTrue(report.get("intact").asBoolean(), report.toString());
        assertEquals(12, report.get("rows_checked").asInt());
        assertEquals(2, report.get("digests_checked").asInt());
        assertTrue(report.get("first_broken").isNull());
    }

    @Test
    void aDeletedRowIsFoundAsAGapAtItsPosition() throws Exception {
        mutate("ALTER TABLE " + client.database() + ".audit_log DELETE WHERE chain_partition = " + DELETED
                + " AND chain_seq = 7");
        JsonNode report = verify(DELETED);
        assertFalse(report.get("intact").asBoolean());
        JsonNode first = report.get("first_broken");
        assertEquals("deleted", first.get("kind").asText(), report.toString());
        assertEquals(7, first.get("seq").asInt());
        assertEquals(DELETED, first.get("partition").asInt());
    }

    @Test
    void anAlteredRowNoLongerMatchesItsHash() throws Exception {
        mutate("ALTER TABLE " + client.database() + ".audit_log UPDATE reason = 'nothing to see' WHERE chain_partition = "
                + ALTERED + " AND chain_seq = 4");
        JsonNode first = verify(ALTERED).get("first_broken");
        assertEquals("modified", first.get("kind").asText(), first.toString());
        assertEquals(4, first.get("seq").asInt());
        assertEquals("the row's content no longer matches its hash", first.get("detail").asText());
    }

    @Test
    void anInsertedRowClaimingAnExistingPositionIsFound() {
        // a forger who computes a valid-looking hash for the position still collides with the real row
        AuditEvent forged = event(NOW.minus(Duration.ofHours(6)), "mallory", "tools/call", "github", "create_pull_request");
        String prev = client.query("SELECT hash FROM " + client.database() + ".audit_log WHERE chain_partition = "
                + INSERTED + " AND chain_seq = 5").get(0).get("hash").asText();
        var link = new AuditChain.Link(INSERTED, 6, prev, AuditChain.hash(prev, AuditChain.textFields(forged),
                forged.envelope().ts().toEpochMilli(), INSERTED, 6));
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(new ChainedAudit(forged, link, chainedDay(INSERTED).plusSeconds(5))), List.of()));
        JsonNode first = verify(INSERTED).get("first_broken");
        assertEquals("inserted", first.get("kind").asText(), first.toString());
        assertEquals(6, first.get("seq").asInt());
    }

    @Test
    void filtersByActorAndResourceNewestFirstAndListsBreakGlassActs() {
        JsonNode bob = ApiTestKit.json(get("/api/v1/audit?actor=bob&from=2026-11-20T00:00:00Z&limit=1000"));
        assertEquals(24, bob.get("events").size(), "6 of each 12-event chain");
        List<String> times = new ArrayList<>();
        bob.get("events").forEach(event -> times.add(event.get("ts").asText()));
        assertEquals(times.stream().sorted((a, b) -> b.compareTo(a)).toList(), times, "newest first");
        JsonNode byTool = ApiTestKit.json(get("/api/v1/audit?server=github&tool=create_pull_request&decision=allow"
                + "&from=2026-11-20T00:00:00Z&limit=5"));
        assertEquals(5, byTool.get("events").size());
        assertTrue(!byTool.get("next_cursor").isNull());
        JsonNode acts = ApiTestKit.json(ApiTestKit.call(app, ApiTestKit.sre, "GET",
                "/api/v1/audit/break-glass?from=2026-11-20T00:00:00Z", null)).get("acts");
        assertTrue(acts.size() >= 4, acts.toString());
        acts.forEach(act -> assertEquals("server.disable", act.get("action").asText()));
        assertTrue(ApiTestKit.publishedAuditEvents().stream().anyMatch(event -> event.action().equals("audit.read")
                && event.actor().equals("auditor-ada") && event.reason().contains("actor=bob")),
                "every read of the audit log is itself audited");
    }

    @Test
    void tenThousandEventsWithTheSameTimestampPageThroughWithoutLossOrRepeat() {
        Instant same = Instant.parse("2026-11-24T09:00:00.123Z");
        List<ChainedAudit> chain = new ArrayList<>();
        AuditChain.Link link = null;
        Set<String> written = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            AuditEvent event = event(same, "pager", "tools/call", "jira", "search_issues");
            link = AuditChain.next(link, 40 + i % 3, event);
            chain.add(new ChainedAudit(event, link, same));
            written.add(event.envelope().eventId().toString());
        }
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), chain, List.of()));
        Set<String> seen = new HashSet<>();
        int pages = 0;
        String cursor = null;
        do {
            JsonNode page = ApiTestKit.json(get("/api/v1/audit?actor=pager&from=2026-11-24T00:00:00Z&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            for (JsonNode event : page.get("events")) {
                assertTrue(seen.add(event.get("event_id").asText()), "repeated " + event.get("event_id"));
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(written, seen, "every event exactly once");
        assertEquals(11, pages, "ten full pages and an empty last one");
    }

    @Test
    void anActThatCameFromATraceLinksToItAndOneWithoutDoesNot() {
        JsonNode alice = ApiTestKit.json(get("/api/v1/audit?actor=alice&limit=1&from=2026-09-01T00:00:00Z"))
                .get("events").get(0);
        assertEquals("https://tempo.example/explore?trace=" + ALICES_TRACE + "&span=", alice.path("trace_url").asText(),
                alice.toString());
        JsonNode bob = ApiTestKit.json(get("/api/v1/audit?actor=bob&limit=1&from=2026-09-01T00:00:00Z"))
                .get("events").get(0);
        assertFalse(bob.has("trace_url"), bob.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"actor", "agent", "team", "action", "resource", "server", "tool", "outcome", "policy",
        "session", "trace", "source", "user"})
    void hostileValuesInEveryFilterAreRefusedOrFindNothingButNeverReachSqlUnescaped(String field) {
        List<String> hostile = List.of("x' OR '1'='1", "x\\' OR 1=1 --", "'; DROP TABLE audit_log; --", "\\",
                "\u0000", "a".repeat(10_000), "\" OR \"\"=\"", "actor) OR (1=1", "%27%20OR%201=1");
        for (String value : hostile) {
            HttpResponse<String> response = get("/api/v1/audit?" + field + "=" + URLEncoder.encode(value,
                    StandardCharsets.UTF_8) + "&from=2026-11-01T00:00:00Z");
            int status = response.statusCode();
            assertTrue(status == 200 || status == 400, field + "=" + value.substring(0, Math.min(20, value.length()))
                    + " → " + status + " " + response.body());
            if (status == 200) {
                assertEquals(0, ApiTestKit.json(response).get("events").size(), "nothing matches " + value);
            } else {
                assertEquals(field, ApiTestKit.json(response).get("field").asText(), response.body());
            }
            assertFalse(response.body().contains("DB::Exception") || response.body().contains("ClickHouse"),
                    response.body());
        }
        assertEquals(12, client.query("SELECT count() AS n FROM " + client.database()
                + ".audit_log WHERE chain_partition = " + INTACT).get(0).get("n").asInt(), "the table is still there");
    }

    @Test
    void wrongTypesAndUnknownParametersAreRefusedNamingTheField() {
        for (String[] bad : new String[][] {{"decision=maybe", "decision"}, {"limit=-1", "limit"}, {"limit=ten", "limit"},
            {"from=yesterday", "from"}, {"to=2026-13-45T00:00:00Z", "to"}, {"cursor=bm9wZQ", "cursor"},
            {"colour=red", "colour"}, {"actor=a&actor=b", "actor"}, {"from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "from"}}) {
            HttpResponse<String> response = get("/api/v1/audit?" + bad[0]);
            assertEquals(400, response.statusCode(), bad[0] + " " + response.body());
            assertEquals(bad[1], ApiTestKit.json(response).get("field").asText(), bad[0]);
        }
        assertEquals(400, get("/api/v1/audit/export?format=xlsx").statusCode());
    }

    @Test
    void oneMillionRowsExportWithBoundedMemory() throws Exception {
        client.execute("INSERT INTO " + client.database() + ".audit_log SELECT toString(generateUUIDv4()),"
                + " toDateTime('2026-11-23 00:00:00') + intDiv(number, 1000), 1795392000000 + number, 'gw-bulk', 'bulk',"
                + " '1.0', 'tool', 'tools/call', '', 'bulk-user', 'bulk', '', '', 'bulk-actor', 'agent', 'tools/call',"
                + " 'bulk/tool', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'allow', 'p', 'ok', '',"
                + " 99, number + 1, '', '', toDateTime('2026-11-23 00:00:00') FROM system.numbers LIMIT 1000000");
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        HttpResponse<InputStream> response = ApiTestKit.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.port() + "/api/v1/audit/export?format=ndjson&actor=bulk-actor&from=2026-11-22T00:00:00Z"))
                .header("Authorization", "Bearer " + ApiTestKit.auditor).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("1000000", response.headers().firstValue("X-Audit-Total-Rows").orElseThrow());
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                bytes += read;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long max = Runtime.getRuntime().maxMemory();
        System.out.printf("exported %,d rows, %,d bytes; heap peak %,d MB of a %,d MB maximum%n", lines, bytes,
                peak >> 20, max >> 20);
        assertEquals(1_000_000, lines);
        assertTrue(bytes > 2 * max, "the export (" + (bytes >> 20) + " MB) is larger than this JVM's heap could hold");
    }
}

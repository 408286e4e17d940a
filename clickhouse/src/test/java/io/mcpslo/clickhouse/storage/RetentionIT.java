package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.PipelineStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.engine.rollup.CallRollup;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retention drops whole partitions older than each table's number of days, and nothing newer. */
class RetentionIT {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RetentionSettings SETTINGS = new RetentionSettings(400, 14, 400, 400, 800, 35, 400,
            400, 30, 800, 400);
    private static ClickHouseClient client;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("retention");
        new ClickHousePipelineStore(client, Clock.systemUTC()).prepare();
    }

    @AfterAll
    static void stop() {
        ClickHouseTestSupport.drop(client);
    }

    @Test
    void daysOlderThanTheRetentionAreDroppedWholeAndNewerOnesStay() {
        List<ChainedAudit> chain = new ArrayList<>();
        AuditChain.Link link = null;
        for (int daysAgo : new int[] {500, 401, 399, 1}) {
            var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofDays(daysAgo)), "gw", "jira", null,
                    null, null, null, null, null, null, null, null);
            var event = new AuditEvent(envelope, "alice", null, "tools/call", null, null, AuditEvent.Decision.ALLOW, null,
                    "ok", null);
            link = AuditChain.next(link, 0, event);
            chain.add(new ChainedAudit(event, link, NOW));
        }
        new ClickHousePipelineStore(client, Clock.systemUTC()).write(new PipelineStore.Batch(List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), chain, List.of()));

        List<String> dropped = new Retention(client, SETTINGS).dropExpired(NOW);

        assertTrue(dropped.contains("audit_log/20250713"), dropped.toString());
        assertTrue(dropped.stream().anyMatch(d -> d.startsWith("audit_log_by_resource/")), dropped.toString());
        List<Long> left = client.query("SELECT chain_seq FROM " + client.database() + ".audit_log ORDER BY chain_seq")
                .stream().map(row -> row.get("chain_seq").asLong()).toList();
        assertEquals(List.of(3L, 4L), left, "399 days and 1 day ago stay");
        assertEquals(List.of(), new Retention(client, SETTINGS).dropExpired(NOW), "nothing more to drop");
    }

    @Test
    void rawCallsAndMinuteRollupsKeepTheirOwnRetention() {
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        List<CallEvent> calls = new ArrayList<>();
        List<CallRollup> rollups = new ArrayList<>();
        for (int daysAgo : new int[] {40, 15, 13, 1}) {
            Instant at = NOW.minus(Duration.ofDays(daysAgo));
            var envelope = new EventEnvelope(UUID.randomUUID(), at, "gw", "retained", null, "search", "tools/call", null,
                    "session-" + daysAgo, null, null, null, null);
            calls.add(new CallEvent(envelope, daysAgo, Outcome.OK, null, null, null, null));
        }
        for (int daysAgo : new int[] {500, 430, 410, 380, 1}) {
            Instant minute = NOW.minus(Duration.ofDays(daysAgo)).truncatedTo(ChronoUnit.MINUTES);
            var envelope = new EventEnvelope(UUID.randomUUID(), minute, "gw", "retained", "1", "search", "tools/call",
                    null, null, null, null, null, null);
            var call = new CallEvent(envelope, 10, Outcome.OK, null, null, null, null);
            rollups.add(CallRollup.empty(CallRollup.keyOf(call)).plus(call));
        }
        store.writeCalls(calls);
        store.writeRollups(rollups);

        List<String> dropped = new Retention(client, SETTINGS).dropExpired(NOW);

        assertTrue(dropped.containsAll(List.of("calls/20261016", "calls/20261110")), dropped.toString());
        assertTrue(dropped.containsAll(List.of("call_correlation_times/20261016", "call_correlation_times/20261110")),
                "the session/user/trace keys of calls go with them: " + dropped);
        assertTrue(dropped.containsAll(List.of("calls_by_time/20261016", "calls_by_time/20261110")),
                "the time-first copy of calls goes with them: " + dropped);
        assertEquals(List.of(13L, 1L), client.query("SELECT duration_ms FROM " + client.database()
                + ".calls_by_time WHERE server = 'retained' ORDER BY ts").stream()
                .map(row -> row.get("duration_ms").asLong()).toList(), "and keeps the same days");
        assertEquals(List.of(13L, 1L), client.query("SELECT duration_ms FROM " + client.database()
                + ".calls WHERE server = 'retained' ORDER BY ts").stream().map(row -> row.get("duration_ms").asLong())
                .toList(), "13 days and 1 day ago stay at 14 days");
        // 400 days before 2026-11-25 is 2025-10-21: July and September 2025 (500 and 430 days ago) ended before
        // it; October 2025 (410 days ago) did not, so it stays whole
        assertTrue(dropped.containsAll(List.of("call_rollups_1m/202507", "call_rollups_1m/202509")), dropped.toString());
        assertEquals(3, client.query("SELECT count() AS n FROM " + client.database()
                        + ".call_rollups_1m WHERE server = 'retained'").get(0).get("n").asLong(),
                "a month not wholly older than 400 days stays, and so do newer ones");
    }

    @Test
    void deadLettersKeepTheirOwnShorterRetention() {
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.writeDeadLetters(List.of(
                new DeadLetter("mcp.calls.v1", 0, 1, "calls", "old", new byte[] {1}, NOW.minus(Duration.ofDays(70))),
                new DeadLetter("mcp.calls.v1", 0, 2, "calls", "recent", new byte[] {2}, NOW.minus(Duration.ofDays(5)))));

        List<String> dropped = new Retention(client, SETTINGS).dropExpired(NOW);

        assertTrue(dropped.contains("sink_dead_letters/202609"), dropped.toString());
        assertEquals(List.of("recent"), client.query("SELECT reason FROM " + client.database() + ".sink_dead_letters")
                .stream().map(row -> row.get("reason").asText()).toList());
    }

    private static long count(String table, String where) {
        return client.query("SELECT count() AS n FROM " + client.database() + "." + table + " WHERE " + where).get(0)
                .get("n").asLong();
    }

    private static long secondsAgo(int days) {
        return NOW.minus(Duration.ofDays(days)).getEpochSecond();
    }

    @Test
    void hourlyDailyAndTimeSortedRollupsAndTheRollersTouchesKeepTheirOwnRetention() {
        String db = client.database();
        for (int daysAgo : new int[] {401, 399}) {
            client.execute("INSERT INTO " + db + ".call_rollups_1h (window_start, server, tool, calls) VALUES (toDateTime("
                    + secondsAgo(daysAgo) + "), 'kept-1h', 't', " + daysAgo + ")");
        }
        for (int daysAgo : new int[] {801, 799}) {
            client.execute("INSERT INTO " + db + ".call_rollups_1d (window_start, server, tool, calls) VALUES (toDateTime("
                    + secondsAgo(daysAgo) + "), 'kept-1d', 't', " + daysAgo + ")");
        }
        for (int daysAgo : new int[] {36, 34}) {
            client.execute("INSERT INTO " + db + ".call_rollups_1m_by_time (window_start, server, tool, calls) VALUES"
                    + " (toDateTime(" + secondsAgo(daysAgo) + "), 'kept-by-time', 't', " + daysAgo + ")");
        }
        for (int daysAgo : new int[] {3, 0}) {
            client.execute("INSERT INTO " + db + ".call_rollups_touched (hour, server, touched_at) VALUES (toDateTime("
                    + secondsAgo(daysAgo) + "), 'kept-touch', toDateTime(" + secondsAgo(daysAgo) + "))");
        }

        List<String> dropped = new Retention(client, SETTINGS).dropExpired(NOW);

        assertTrue(dropped.containsAll(List.of("call_rollups_1h/" + secondsAgo(401) / 86_400,
                "call_rollups_1d/" + secondsAgo(801) / 86_400, "call_rollups_1m_by_time/" + secondsAgo(36) / 86_400,
                "call_rollups_touched/" + DateTimeFormatter.BASIC_ISO_DATE.format(NOW.minus(Duration.ofDays(3))
                        .atZone(ZoneOffset.UTC).toLocalDate()))), dropped.toString());
        assertEquals(List.of(399L), calls("call_rollups_1h", "kept-1h"), "hours: 400 days");
        assertEquals(List.of(799L), calls("call_rollups_1d", "kept-1d"), "days: 800 days");
        assertEquals(List.of(34L), calls("call_rollups_1m_by_time", "kept-by-time"), "minutes by time: 35 days");
        assertEquals(1, count("call_rollups_touched", "server = 'kept-touch'"), "touches: 2 days");
    }

    private static List<Long> calls(String table, String server) {
        return client.query("SELECT calls FROM " + client.database() + "." + table + " WHERE server = '" + server + "'")
                .stream().map(row -> row.get("calls").asLong()).toList();
    }

    @Test
    void smallTablesWithoutATimePartitionLoseOnlyTheirOldRowsAndASilenceKeepsItsLastForm() throws Exception {
        String db = client.database();
        // silence a: created and expired 401 days ago; silence b: created 401 days ago, expired 399 days ago
        client.execute("INSERT INTO " + db + ".silences (id, matchers, starts_at, ends_at, updated_at, version) VALUES"
                + " ('a', '{}', toDateTime(" + secondsAgo(402) + "), toDateTime(" + secondsAgo(401) + "), toDateTime("
                + secondsAgo(401) + "), 1), ('b', '{}', toDateTime(" + secondsAgo(401) + "), toDateTime("
                + secondsAgo(380) + "), toDateTime(" + secondsAgo(401) + "), 1), ('b', '{}', toDateTime("
                + secondsAgo(401) + "), toDateTime(" + secondsAgo(399) + "), toDateTime(" + secondsAgo(399) + "), 2)");
        client.execute("INSERT INTO " + db + ".weekly_reports (team, iso_week, format, generated_at, body, version) VALUES"
                + " ('old', '2024-W30', 'json', toDateTime(" + secondsAgo(801) + "), '{}', 1), ('recent', '2026-W47',"
                + " 'json', toDateTime(" + secondsAgo(8) + "), '{}', 1)");
        client.execute("INSERT INTO " + db + ".alert_acks (dedup_key, acked_by, comment, at) VALUES ('old', 'x', 'c',"
                + " toDateTime(" + secondsAgo(401) + ")), ('recent', 'x', 'c', toDateTime(" + secondsAgo(1) + "))");

        List<String> dropped = new Retention(client, SETTINGS).dropExpired(NOW);

        assertTrue(dropped.containsAll(List.of("silences/before-20251021", "weekly_reports/before-20240916",
                "alert_acks/before-20251021")), dropped.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count("silences", "1") + count("weekly_reports", "1") + count("alert_acks", "1") > 3
                && System.nanoTime() < deadline) {
            Thread.sleep(200); // deletes are mutations, done in the background
        }
        assertEquals(List.of(2L), client.query("SELECT version FROM " + db + ".silences").stream()
                .map(row -> row.get("version").asLong()).toList(), "only the last form of b, 399 days old, stays");
        assertEquals(1, count("weekly_reports", "team = 'recent'") + count("weekly_reports", "team = 'old'") * 10);
        assertEquals(1, count("alert_acks", "dedup_key = 'recent'") + count("alert_acks", "dedup_key = 'old'") * 10);
        assertEquals(List.of(), new Retention(client, SETTINGS).dropExpired(NOW), "nothing more to delete");
    }
}

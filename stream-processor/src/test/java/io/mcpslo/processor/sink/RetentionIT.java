package io.mcpslo.processor.sink;

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
    private static final RetentionSettings SETTINGS = new RetentionSettings(400, 14, 400, 400, 400, 30);
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
        assertTrue(dropped.containsAll(List.of("calls_by_correlation/20261016", "calls_by_correlation/20261110")),
                "the session/user/trace copy of calls goes with them: " + dropped);
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
}

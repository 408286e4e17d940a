package io.mcpslo.processor.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stored-history reads against the real ClickHouse: rows written as the sink writes them, read back. */
class ClickHouseSloHistoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant M0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant M1 = M0.plus(Duration.ofMinutes(1));
    private static final Instant M2 = M0.plus(Duration.ofMinutes(2));
    private static final String HOSTILE = "git'hub\\' OR 1=1 -- `x`";

    private static ClickHouseClient clickHouse;
    private static ClickHouseSloHistory history;

    @BeforeAll
    static void start() {
        clickHouse = ClickHouseTestSupport.freshDatabase("slohistory");
        history = new ClickHouseSloHistory(clickHouse);
    }

    @AfterAll
    static void stop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    /** A rollup of {@code ok} calls taking {@code okMs} and {@code failed} transport errors taking {@code failedMs}. */
    private static CallRollup rollup(String server, String tool, Instant minute, int ok, double okMs, int failed,
                                     double failedMs) {
        SketchBins bins = SketchBins.EMPTY;
        for (int i = 0; i < ok; i++) {
            bins = bins.plus(okMs);
        }
        for (int i = 0; i < failed; i++) {
            bins = bins.plus(failedMs);
        }
        return new CallRollup(new RollupKey(server, tool, "1.0", minute), new OutcomeCounts(ok, 0, failed, 0, 0),
                ok * okMs + failed * failedMs, Math.max(okMs, failedMs), bins);
    }

    /** One insert per call, as the sink's separate batches would write them. */
    private static void store(CallRollup... rollups) {
        for (CallRollup rollup : rollups) {
            ObjectNode row = JSON.createObjectNode();
            row.put("window_start", rollup.windowStart().getEpochSecond());
            row.put("server", rollup.key().server());
            row.put("tool", rollup.key().tool());
            row.put("server_version", rollup.key().serverVersion());
            row.put("calls", rollup.counts().calls());
            row.put("ok", rollup.counts().ok());
            row.put("tool_error", rollup.counts().toolError());
            row.put("transport_error", rollup.counts().transportError());
            row.put("denied", rollup.counts().denied());
            row.put("rate_limited", rollup.counts().rateLimited());
            row.put("latency_sum_ms", rollup.latencySumMs());
            row.put("latency_max_ms", rollup.latencyMaxMs());
            row.put("latency_zero_count", rollup.latency().zeroCount());
            var indexes = row.putArray("latency_bins");
            var counts = row.putArray("latency_counts");
            for (int i = 0; i < rollup.latency().indexes().length; i++) {
                indexes.add(rollup.latency().indexes()[i]);
                counts.add(rollup.latency().counts()[i]);
            }
            row.put("revision", rollup.revision());
            row.put("updated_at", M0.getEpochSecond());
            clickHouse.insertJsonEachRow("call_rollups_1m", (row + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void storeAlert(String sloId, String alert, String to, Instant at, String dedupKey) {
        ObjectNode row = JSON.createObjectNode();
        row.put("dedup_key", dedupKey);
        row.put("slo_id", sloId);
        row.put("alert", alert);
        row.put("to_state", to);
        row.put("at", at.getEpochSecond());
        row.put("at_ms", at.toEpochMilli());
        row.put("incident_start", at.getEpochSecond());
        clickHouse.insertJsonEachRow("alert_events", (row + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void assertAggregate(RollupAggregate expected, RollupAggregate actual) {
        assertEquals(expected.counts(), actual.counts());
        assertArrayEquals(expected.latency().indexes(), actual.latency().indexes(), "merged bin indexes");
        assertArrayEquals(expected.latency().counts(), actual.latency().counts(), "merged bin counts");
        assertEquals(expected.latency().zeroCount(), actual.latency().zeroCount());
    }

    @Test
    void minutesSumTheLatestRevisionOfEachRollupInScopeAndMergeTheirBins() {
        CallRollup searchEarly = rollup("github", "search", M0, 3, 12, 1, 900);
        CallRollup searchLatest = rollup("github", "search", M0, 8, 12, 2, 900);
        CallRollup get = rollup("github", "get", M0, 5, 40, 0, 0);
        CallRollup searchNext = rollup("github", "search", M1, 4, 0, 1, 3000);
        store(searchEarly, searchLatest, searchEarly, get, searchNext,
                rollup("jira", "search", M0, 0, 0, 7, 50), rollup("github", "search", M2, 9, 10, 9, 10));

        Map<Instant, RollupAggregate> minutes = history.minutes(new SloScope("github", null, null), M0, M2, true);

        assertEquals(List.of(M0, M1), List.copyOf(minutes.keySet()), "minutes in order, the end excluded");
        assertAggregate(RollupAggregate.of(searchLatest).plus(RollupAggregate.of(get)), minutes.get(M0));
        assertAggregate(RollupAggregate.of(searchNext), minutes.get(M1));
        assertEquals(4, minutes.get(M1).latency().zeroCount(), "zero latencies are kept apart from the bins");

        Map<Instant, RollupAggregate> countsOnly = history.minutes(new SloScope("github", "search", "1.0"), M0, M2,
                false);
        assertEquals(new OutcomeCounts(8, 0, 2, 0, 0), countsOnly.get(M0).counts());
        assertEquals(0, countsOnly.get(M0).latency().totalCount(), "no bins read for an SLI that needs none");
    }

    @Test
    void rollupsComeOncePerKeyAtTheirLatestRevision() {
        CallRollup early = rollup("notion", "search", M0, 2, 5, 0, 0);
        CallRollup latest = rollup("notion", "search", M0, 6, 5, 1, 70);
        CallRollup other = rollup("notion", "write", M1, 1, 5, 1, 5);
        store(latest, early, other, rollup("notion", "write", M2, 1, 1, 1, 1));

        List<CallRollup> rollups = history.rollups(new SloScope("notion", null, null), M0, M2);

        assertEquals(List.of(latest.key(), other.key()), rollups.stream().map(CallRollup::key).toList());
        assertEquals(latest.counts(), rollups.get(0).counts());
        assertEquals(latest.latencySumMs(), rollups.get(0).latencySumMs(), 1e-9);
        assertArrayEquals(latest.latency().counts(), rollups.get(0).latency().counts());
    }

    @Test
    void hostileServerAndToolNamesInAScopeAreValuesNotSql() {
        CallRollup hostile = rollup(HOSTILE, HOSTILE, M0, 2, 5, 1, 5);
        store(hostile, rollup("plain", "search", M0, 4, 5, 0, 0));

        assertEquals(List.of(hostile.key()), history.rollups(new SloScope(HOSTILE, HOSTILE, null), M0, M2).stream()
                .map(CallRollup::key).toList());
        assertEquals(hostile.counts(), history.minutes(new SloScope(HOSTILE, null, null), M0, M2, false)
                .get(M0).counts());
        assertEquals(Map.of(), history.minutes(new SloScope("plain' OR '1'='1", null, null), M0, M2, true));
    }

    @Test
    void openAlertsAreThoseWhoseLastTransitionLeftThemPendingOrFiring() {
        Instant t = M0;
        storeAlert("svc-availability", "page", "firing", t, "k-page");
        storeAlert("svc-availability", "page", "resolved", t.plusSeconds(60), "k-page");
        storeAlert("svc-availability", "ticket", "firing", t.plusSeconds(30), "k-ticket");
        storeAlert("svc-availability", "budget-exhausted", "pending", t.plusSeconds(90), "k-budget");
        storeAlert("other-slo", "page", "firing", t, "k-other");

        List<AlertState> open = history.openAlerts("svc-availability", t.minus(Duration.ofDays(1)));

        assertEquals(List.of(
                new AlertState("svc-availability", AlertKind.BUDGET_EXHAUSTED, AlertStatus.PENDING, t.plusSeconds(90),
                        "k-budget"),
                new AlertState("svc-availability", AlertKind.TICKET, AlertStatus.FIRING, t.plusSeconds(30),
                        "k-ticket")), open);
    }
}

package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SloHistory} must answer, run against each implementation (the in-memory one the topology tests
 * use, and ClickHouse): rows stored as the sink stores them, read back.
 */
public abstract class SloHistoryContract {

    private static final Instant M0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant M1 = M0.plus(Duration.ofMinutes(1));
    private static final Instant M2 = M0.plus(Duration.ofMinutes(2));
    private static final String HOSTILE = "git'hub\\' OR 1=1 -- `x`";

    protected abstract SloHistory history();

    /** Stores one rollup revision, as one write of the sink. */
    protected abstract void store(CallRollup rollup);

    /** Stores one alert transition, as the sink does. */
    protected abstract void storeTransition(String sloId, AlertKind kind, AlertStatus to, Instant at, String dedupKey);

    private void storeAll(CallRollup... rollups) {
        for (CallRollup rollup : rollups) {
            store(rollup);
        }
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

    private static void assertAggregate(RollupAggregate expected, RollupAggregate actual) {
        assertEquals(expected.counts(), actual.counts());
        assertArrayEquals(expected.latency().indexes(), actual.latency().indexes(), "merged bin indexes");
        assertArrayEquals(expected.latency().counts(), actual.latency().counts(), "merged bin counts");
        assertEquals(expected.latency().zeroCount(), actual.latency().zeroCount());
    }

    @Test
    public void minutesSumTheLatestRevisionOfEachRollupInScopeAndMergeTheirBins() {
        CallRollup searchEarly = rollup("github", "search", M0, 3, 12, 1, 900);
        CallRollup searchLatest = rollup("github", "search", M0, 8, 12, 2, 900);
        CallRollup get = rollup("github", "get", M0, 5, 40, 0, 0);
        CallRollup searchNext = rollup("github", "search", M1, 4, 0, 1, 3000);
        storeAll(searchEarly, searchLatest, searchEarly, get, searchNext,
                rollup("jira", "search", M0, 0, 0, 7, 50), rollup("github", "search", M2, 9, 10, 9, 10));

        Map<Instant, RollupAggregate> minutes = history().minutes(new SloScope("github", null, null), M0, M2, true);

        assertEquals(Set.of(M0, M1), minutes.keySet(), "the end is excluded");
        assertAggregate(RollupAggregate.of(searchLatest).plus(RollupAggregate.of(get)), minutes.get(M0));
        assertAggregate(RollupAggregate.of(searchNext), minutes.get(M1));
        assertEquals(4, minutes.get(M1).latency().zeroCount(), "zero latencies are kept apart from the bins");

        Map<Instant, RollupAggregate> countsOnly = history().minutes(new SloScope("github", "search", "1.0"), M0, M2,
                false);
        assertEquals(new OutcomeCounts(8, 0, 2, 0, 0), countsOnly.get(M0).counts());
        assertEquals(0, countsOnly.get(M0).latency().totalCount(), "no bins read for an SLI that needs none");
    }

    @Test
    public void rollupsComeOncePerKeyAtTheirLatestRevision() {
        CallRollup early = rollup("notion", "search", M0, 2, 5, 0, 0);
        CallRollup latest = rollup("notion", "search", M0, 6, 5, 1, 70);
        CallRollup other = rollup("notion", "write", M1, 1, 5, 1, 5);
        storeAll(latest, early, other, rollup("notion", "write", M2, 1, 1, 1, 1));

        List<CallRollup> rollups = history().rollups(new SloScope("notion", null, null), M0, M2);

        assertEquals(List.of(latest.key(), other.key()), rollups.stream().map(CallRollup::key).toList());
        assertEquals(latest.counts(), rollups.get(0).counts());
        assertEquals(latest.latencySumMs(), rollups.get(0).latencySumMs(), 1e-9);
        assertArrayEquals(latest.latency().counts(), rollups.get(0).latency().counts());
    }

    @Test
    public void hostileServerAndToolNamesInAScopeAreValuesNotSql() {
        CallRollup hostile = rollup(HOSTILE, HOSTILE, M0, 2, 5, 1, 5);
        storeAll(hostile, rollup("plain", "search", M0, 4, 5, 0, 0));

        assertEquals(List.of(hostile.key()), history().rollups(new SloScope(HOSTILE, HOSTILE, null), M0, M2).stream()
                .map(CallRollup::key).toList());
        assertEquals(hostile.counts(), history().minutes(new SloScope(HOSTILE, null, null), M0, M2, false)
                .get(M0).counts());
        assertEquals(Map.of(), history().minutes(new SloScope("plain' OR '1'='1", null, null), M0, M2, true));
    }

    @Test
    public void openAlertsAreThoseWhoseLastTransitionLeftThemPendingOrFiring() {
        Instant t = M0;
        storeTransition("svc-availability", AlertKind.PAGE, AlertStatus.FIRING, t, "k-page");
        storeTransition("svc-availability", AlertKind.PAGE, AlertStatus.RESOLVED, t.plusSeconds(60), "k-page");
        storeTransition("svc-availability", AlertKind.TICKET, AlertStatus.FIRING, t.plusSeconds(30), "k-ticket");
        storeTransition("svc-availability", AlertKind.BUDGET_EXHAUSTED, AlertStatus.PENDING, t.plusSeconds(90),
                "k-budget");
        storeTransition("other-slo", AlertKind.PAGE, AlertStatus.FIRING, t, "k-other");
        storeTransition("svc-availability", AlertKind.TICKET, AlertStatus.FIRING, t.minus(Duration.ofDays(2)),
                "k-old");

        List<AlertState> open = history().openAlerts("svc-availability", t.minus(Duration.ofDays(1)));

        assertEquals(Set.of(
                new AlertState("svc-availability", AlertKind.BUDGET_EXHAUSTED, AlertStatus.PENDING, t.plusSeconds(90),
                        "k-budget"),
                new AlertState("svc-availability", AlertKind.TICKET, AlertStatus.FIRING, t.plusSeconds(30),
                        "k-ticket")), Set.copyOf(open));
    }
}

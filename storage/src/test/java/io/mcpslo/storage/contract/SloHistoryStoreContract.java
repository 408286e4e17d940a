package io.mcpslo.storage.contract;

import static io.mcpslo.storage.contract.Seeds.HOSTILE;
import static io.mcpslo.storage.contract.Seeds.minute;
import static io.mcpslo.storage.contract.Seeds.rollup;
import static io.mcpslo.storage.contract.Seeds.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every storage's {@link io.mcpslo.engine.history.SloHistory} answers for rows the sink wrote (the stream
 * processor's own contract, SloHistoryContract, checks the test double its topology tests use the same way).
 */
public abstract class SloHistoryStoreContract extends StoreContract {

    private void write(CallRollup... rollups) {
        storage.pipeline().writeRollups(List.of(rollups));
    }

    @Test
    public void minutesSumTheLatestRevisionOfEachRollupInScope() {
        CallRollup early = rollup("github", "search", "1.0", minute(0), 3, 0, 1, 12);
        CallRollup latest = rollup("github", "search", "1.0", minute(0), 8, 0, 2, 900);
        CallRollup get = rollup("github", "get", "1.0", minute(0), 5, 0, 0, 40);
        CallRollup next = rollup("github", "search", "1.0", minute(1), 4, 0, 1, 0);
        write(early, latest, get, next, rollup("jira", "search", "1.0", minute(0), 0, 0, 7, 50),
                rollup("github", "search", "1.0", minute(2), 9, 0, 9, 10));
        write(early); // replayed after the latest

        Map<Instant, RollupAggregate> minutes = storage.sloHistory().minutes(new SloScope("github", null, null),
                minute(0), minute(2), true);

        assertEquals(List.of(minute(0), minute(1)), List.copyOf(minutes.keySet()), "in time order, the end excluded");
        assertEquals(RollupAggregate.of(latest).plus(RollupAggregate.of(get)), minutes.get(minute(0)));
        assertEquals(RollupAggregate.of(next), minutes.get(minute(1)));
        assertEquals(new RollupAggregate(latest.counts(), SketchBins.EMPTY), storage.sloHistory()
                .minutes(new SloScope("github", "search", "1.0"), minute(0), minute(2), false).get(minute(0)));
    }

    @Test
    public void rollupsComeOncePerKeyAtTheirLatestRevisionInTimeOrder() {
        CallRollup early = rollup("notion", "search", "1.0", minute(0), 2, 0, 0, 5);
        CallRollup latest = rollup("notion", "search", "1.0", minute(0), 6, 0, 1, 70);
        CallRollup other = rollup("notion", "write", "1.0", minute(1), 1, 0, 1, 5);
        write(other, latest, early, rollup("notion", "write", "1.0", minute(2), 1, 0, 1, 1));

        List<CallRollup> rollups = storage.sloHistory().rollups(new SloScope("notion", null, null), minute(0), minute(2));

        assertEquals(List.of(latest, other), rollups);
    }

    @Test
    public void hostileNamesInAScopeAreValuesNotQueryText() {
        CallRollup hostile = rollup(HOSTILE, HOSTILE, "1.0", minute(0), 2, 0, 1, 5);
        write(hostile, rollup("plain", "search", "1.0", minute(0), 4, 0, 0, 5));

        assertEquals(List.of(hostile), storage.sloHistory().rollups(new SloScope(HOSTILE, HOSTILE, null), minute(0),
                minute(2)));
        assertEquals(Map.of(), storage.sloHistory().minutes(new SloScope("plain' OR '1'='1", null, null), minute(0),
                minute(2), true));
    }

    @Test
    public void openAlertsAreThoseWhoseLastTransitionSinceLeftThemPendingOrFiring() {
        Instant t = minute(60);
        String slo = "svc-availability";
        storage.pipeline().writeAlerts(List.of(
                transition(slo, "team", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING, t, t, "k-page"),
                transition(slo, "team", AlertKind.PAGE, AlertStatus.FIRING, AlertStatus.RESOLVED, t.plusSeconds(60), t,
                        "k-page"),
                transition(slo, "team", AlertKind.TICKET, AlertStatus.PENDING, AlertStatus.FIRING,
                        t.plusSeconds(30).plusMillis(5), t, "k-ticket"),
                transition(slo, "team", AlertKind.BUDGET_EXHAUSTED, AlertStatus.INACTIVE, AlertStatus.PENDING,
                        t.plusSeconds(90), t, "k-budget"),
                transition("other-slo", "team", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING, t, t, "k-other"),
                transition(slo, "team", AlertKind.TICKET, AlertStatus.PENDING, AlertStatus.FIRING,
                        t.minus(Duration.ofDays(2)), t, "k-old")));

        List<AlertState> open = storage.sloHistory().openAlerts(slo, t.minus(Duration.ofDays(1)));

        assertEquals(Set.of(
                new AlertState(slo, AlertKind.BUDGET_EXHAUSTED, AlertStatus.PENDING, t.plusSeconds(90), "k-budget"),
                new AlertState(slo, AlertKind.TICKET, AlertStatus.FIRING, t.plusSeconds(30).plusMillis(5), "k-ticket")),
                Set.copyOf(open));
        assertEquals(List.of(), storage.sloHistory().openAlerts(HOSTILE, t.minus(Duration.ofDays(1))));
    }
}

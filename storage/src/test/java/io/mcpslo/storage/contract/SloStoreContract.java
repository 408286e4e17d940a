package io.mcpslo.storage.contract;

import static io.mcpslo.storage.contract.Seeds.HOSTILE;
import static io.mcpslo.storage.contract.Seeds.T0;
import static io.mcpslo.storage.contract.Seeds.minute;
import static io.mcpslo.storage.contract.Seeds.status;
import static io.mcpslo.storage.contract.Seeds.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.storage.slo.AlertQuery;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link io.mcpslo.storage.slo.SloStore} answers for statuses and alerts written through the pipeline. */
public abstract class SloStoreContract extends StoreContract {

    private static final Instant NOW = T0.plus(Duration.ofHours(12));

    private void write(SloStatus... statuses) {
        storage.pipeline().writeStatuses(List.of(statuses));
    }

    private void write(AlertTransition... transitions) {
        storage.pipeline().writeAlerts(List.of(transitions));
    }

    private static Map<String, Double> burnColumns(double fiveMinutes, double oneHour, double others) {
        Map<String, Double> rates = new HashMap<>();
        for (String window : List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d")) {
            rates.put(window, others);
        }
        rates.put("5m", fiveMinutes);
        rates.put("1h", oneHour);
        return rates;
    }

    @Test
    public void latestSnapshotsAreEachSlosLastStatusOnceRecentOnesFirst() {
        SloStatus quiet = status("b-quiet", "team-y", NOW.minus(Duration.ofHours(3)), 0, 0, 0);
        SloStatus older = status("c-busy", "team-x", NOW.minusSeconds(300), 990, 10, 2);
        SloStatus latest = status("c-busy", "team-x", NOW.minusSeconds(60).plusMillis(789), 1990, 10, 20);
        write(older, latest, quiet, status("not-asked", "team-x", NOW, 1, 0, 0));
        write(latest, older); // replayed

        List<SloSnapshot> snapshots = storage.slos().latestSnapshots(List.of("c-busy", "b-quiet", "absent", HOSTILE),
                NOW);

        assertEquals(List.of("c-busy", "b-quiet"), snapshots.stream().map(SloSnapshot::sloId).toList(),
                "those written in the last hour first");
        SloSnapshot busy = snapshots.get(0);
        assertEquals(NOW.minusSeconds(60), busy.at(), "a status time is kept to its second");
        assertEquals("team-x", busy.team());
        assertEquals(1990.0 / 2000, busy.sli(), 1e-12);
        assertEquals(1990, busy.good());
        assertEquals(10, busy.bad());
        assertEquals(0.999, busy.objective(), 1e-12);
        assertEquals(latest.budget().remainingFraction(), busy.budgetRemaining(), 1e-12);
        assertEquals(latest.budget().consumedFraction(), busy.budgetConsumed(), 1e-12);
        assertEquals(3_600L, busy.timeToExhaustionSeconds());
        assertEquals(burnColumns(2, 20, 2), busy.burnRates());
        assertTrue(busy.page() && busy.ticket() && busy.budgetExhausted(), "10 bad of 2 allowed");
        SloSnapshot idle = snapshots.get(1);
        assertNull(idle.sli(), "no events, no SLI");
        assertNull(idle.timeToExhaustionSeconds());
        assertFalse(idle.page() || idle.ticket() || idle.budgetExhausted());
        assertEquals(List.of(), storage.slos().latestSnapshots(List.of(), NOW));
    }

    @Test
    public void aBurnRateThatIsNotAFiniteNumberReadsAsZero() {
        Map<String, Double> rates = new HashMap<>(burnColumns(Double.NaN, Double.POSITIVE_INFINITY, 1));
        SloStatus noTraffic = status("s", "t", NOW, 0, 0, 0);
        write(new SloStatus("s", "t", NOW, noTraffic.windowStart(), NOW, null, 0.99, noTraffic.budget(), rates,
                List.of(), false, false, false));

        assertEquals(burnColumns(0, 0, 1), storage.slos().latestSnapshots(List.of("s"), NOW).get(0).burnRates());
    }

    @Test
    public void snapshotsAndBurnSeriesTakeTheLastStatusOfEachStepOldestFirst() {
        List<SloStatus> statuses = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            statuses.add(status("a", "team-x", minute(i), 100, 0, i));
            statuses.add(status("b", "team-y", minute(i).plusSeconds(30), 100, 0, 100 + i));
        }
        storage.pipeline().writeStatuses(statuses);
        storage.pipeline().writeStatuses(statuses);
        Duration fiveMinutes = Duration.ofMinutes(5);

        List<SloSnapshot> snapshots = storage.slos().snapshots("a", minute(0), minute(12), fiveMinutes);

        assertEquals(List.of(minute(4), minute(9), minute(11)), snapshots.stream().map(SloSnapshot::at).toList(),
                "the last of each step; the end is excluded");
        Map<String, List<Double>> series = storage.slos().hourBurnSeries(List.of("b", "a", "absent"), minute(0),
                minute(12), fiveMinutes);
        assertEquals(List.of("a", "b"), List.copyOf(series.keySet()), "in SLO order, those with statuses only");
        assertEquals(List.of(4.0, 9.0, 11.0), series.get("a"));
        assertEquals(List.of(104.0, 109.0, 111.0), series.get("b"));
        assertEquals(Map.of(), storage.slos().hourBurnSeries(List.of(), minute(0), minute(12), fiveMinutes));
        assertEquals(List.of(), storage.slos().snapshots(HOSTILE, minute(0), minute(12), fiveMinutes));
    }

    private void writeIncidents() {
        Instant t = T0.plusSeconds(3_600);
        write(transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING, t, t, "k-page"),
                transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.FIRING, AlertStatus.RESOLVED,
                        t.plusSeconds(600).plusMillis(250), t, "k-page"),
                transition("search", "team-y", AlertKind.TICKET, AlertStatus.PENDING, AlertStatus.FIRING,
                        t.plusSeconds(120), t.plusSeconds(120), "k-ticket"),
                transition("checkout", "team-x", AlertKind.BUDGET_EXHAUSTED, AlertStatus.INACTIVE, AlertStatus.PENDING,
                        t.plusSeconds(900), t.plusSeconds(900), "k-budget"),
                transition("search", "team-y", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING,
                        t.minus(Duration.ofDays(100)), t.minus(Duration.ofDays(100)), "k-ancient"));
    }

    private static AlertQuery history(Optional<String> sloId, Optional<String> team, Optional<String> alert,
                                      Optional<String> severity, Set<String> teams, int limit) {
        return new AlertQuery(false, sloId, team, alert, severity, teams, T0, T0.plus(Duration.ofDays(1)), limit);
    }

    private static AlertQuery active(Optional<String> team, Set<String> teams) {
        return new AlertQuery(true, Optional.empty(), team, Optional.empty(), Optional.empty(), teams, T0,
                T0.plus(Duration.ofDays(1)), 100);
    }

    private List<String> keysAndStates(AlertQuery query) {
        return storage.slos().alerts(query).stream().map(alert -> alert.dedupKey() + ":" + lower(alert.to())).toList();
    }

    @Test
    public void alertHistoryIsNewestFirstInTheRangeFilteredAndLimited() {
        writeIncidents();
        writeIncidents(); // replayed
        Optional<String> none = Optional.empty();

        assertEquals(List.of("k-budget:pending", "k-page:resolved", "k-ticket:firing", "k-page:firing"),
                keysAndStates(history(none, none, none, none, Set.of(), 100)), "each transition once, in the range");
        assertEquals(List.of("k-budget:pending", "k-page:resolved"),
                keysAndStates(history(none, none, none, none, Set.of(), 2)));
        assertEquals(List.of("k-ticket:firing"), keysAndStates(history(Optional.of("search"), none, none, none, Set.of(), 100)));
        assertEquals(List.of("k-page:resolved", "k-page:firing"),
                keysAndStates(history(none, Optional.of("team-x"), Optional.of("page"), none, Set.of(), 100)));
        assertEquals(List.of("k-budget:pending", "k-ticket:firing"),
                keysAndStates(history(none, none, none, Optional.of("ticket"), Set.of(), 100)), "by severity");
        assertEquals(List.of("k-ticket:firing"),
                keysAndStates(history(none, none, none, none, Set.of("team-y", "team-z"), 100)), "a token's teams");
        assertEquals(List.of(), keysAndStates(history(Optional.of(HOSTILE), Optional.of("team-x' OR '1'='1"), none,
                none, Set.of(), 100)));

        AlertRecord resolved = storage.slos().alerts(history(none, none, Optional.of("page"), none, Set.of(), 1)).get(0);
        assertEquals(new AlertRecord("k-page", "checkout", "team-x", AlertKind.PAGE, Severity.PAGE, AlertStatus.FIRING,
                AlertStatus.RESOLVED,
                T0.plusSeconds(4_200).plusMillis(250), T0.plusSeconds(3_600), "page resolved on checkout",
                "1h/5m > 14.4", 0.42, burnColumns(20, 15.5, 0), "", null), resolved);
    }

    @Test
    public void activeAlertsAreThoseWhoseLatestTransitionIsPendingOrFiring() {
        writeIncidents();

        assertEquals(List.of("k-budget:pending", "k-ticket:firing"), keysAndStates(active(Optional.empty(), Set.of())),
                "a resolved alert and one older than the lookback are not active");
        assertEquals(List.of("k-ticket:firing"), keysAndStates(active(Optional.of("team-y"), Set.of())));
        assertEquals(List.of("k-budget:pending"), keysAndStates(active(Optional.empty(), Set.of("team-x"))));
    }

    @Test
    public void transitionsAcknowledgementsAndTeamsOfAnAlert() {
        writeIncidents();

        assertEquals(List.of("k-page:firing", "k-page:resolved"), storage.slos().transitions("k-page").stream()
                .map(alert -> alert.dedupKey() + ":" + lower(alert.to())).toList(), "oldest first");
        assertEquals(List.of(), storage.slos().transitions(HOSTILE));
        assertEquals(Optional.of("team-y"), storage.slos().alertTeam("k-ticket"));
        assertEquals(Optional.empty(), storage.slos().alertTeam("k-ticket' OR '1'='1"));

        storage.pipeline().writeAcks(List.of(new Acknowledgement("k-page", "first", "looking", NOW)));
        storage.pipeline().writeAcks(List.of(new Acknowledgement("k-page", "alice", "on it",
                NOW.plusSeconds(5).plusMillis(900))));

        for (AlertRecord transition : storage.slos().transitions("k-page")) {
            assertEquals("alice", transition.ackedBy(), "the last acknowledgement");
            assertEquals(NOW.plusSeconds(5), transition.ackedAt());
        }
        AlertRecord ticket = storage.slos().transitions("k-ticket").get(0);
        assertEquals("", ticket.ackedBy(), "not acknowledged");
        assertNull(ticket.ackedAt());
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}

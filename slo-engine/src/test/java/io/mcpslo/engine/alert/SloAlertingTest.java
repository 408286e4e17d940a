package io.mcpslo.engine.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SloAlertingTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));

    private SloDefinition slo(Duration pendingFor) {
        return new SloDefinition("jira-availability", "tracker", "", new SloScope("jira", null, null),
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.999), WINDOW,
                new AlertPolicy(MultiWindowRule.workbookDefaults(WINDOW.length()), 0, 0, pendingFor, true));
    }

    private static SloStatus status(Instant at, boolean page, boolean ticket, boolean exhausted) {
        var budget = ErrorBudget.of(new Objective(0.999), new EventCounts(1000, exhausted ? 5 : 0), EventCounts.NONE);
        return new SloStatus("jira-availability", "tracker", at, at.minus(WINDOW.length()), at, 0.99, 0.999, budget,
                Map.of("1h", 20.0, "5m", 30.0), List.of(), page, ticket, exhausted);
    }

    private Map<AlertKind, AlertState> states = new EnumMap<>(AlertKind.class);

    private List<AlertTransition> advance(SloDefinition slo, SloStatus status) {
        var step = SloAlerting.advance(slo, status, states);
        states = step.states();
        return step.transitions();
    }

    @Test
    void pendingAlertFiresOnlyOnceItsConditionHeldForThePendingTime() {
        var slo = slo(Duration.ofMinutes(2));
        var first = advance(slo, status(T0, true, false, false));
        assertEquals(AlertStatus.PENDING, first.get(0).to());
        assertTrue(advance(slo, status(T0.plusSeconds(60), true, false, false)).isEmpty(), "still pending");
        var fired = advance(slo, status(T0.plusSeconds(120), true, false, false));
        assertEquals(AlertStatus.FIRING, fired.get(0).to());
        assertEquals(first.get(0).dedupKey(), fired.get(0).dedupKey());
        assertEquals(T0, fired.get(0).incidentStart());
        assertTrue(fired.get(0).notifies());
        assertTrue(advance(slo, status(T0.plusSeconds(180), true, false, false)).isEmpty(), "firing stays quiet");
        var resolved = advance(slo, status(T0.plusSeconds(240), false, false, false));
        assertEquals(AlertStatus.RESOLVED, resolved.get(0).to());
        assertEquals(fired.get(0).dedupKey(), resolved.get(0).dedupKey());
        assertEquals(AlertStatus.INACTIVE, states.get(AlertKind.PAGE).status());
    }

    @Test
    void pendingAlertThatClearsBeforeFiringIsRecordedButNotNotified() {
        var slo = slo(Duration.ofMinutes(5));
        advance(slo, status(T0, true, false, false));
        var cleared = advance(slo, status(T0.plusSeconds(60), false, false, false));
        assertEquals(AlertStatus.INACTIVE, cleared.get(0).to());
        assertTrue(cleared.stream().noneMatch(AlertTransition::notifies));
    }

    @Test
    void aPageInhibitsTheTicketOfTheSameSloAndANewIncidentGetsANewKey() {
        var slo = slo(Duration.ZERO);
        var both = advance(slo, status(T0, true, true, false));
        assertEquals(List.of(AlertKind.PAGE), both.stream().map(AlertTransition::kind).toList());
        assertTrue(advance(slo, status(T0.plusSeconds(60), true, true, false)).isEmpty());
        var resolvedPage = advance(slo, status(T0.plusSeconds(120), false, true, false));
        assertEquals(List.of(AlertKind.PAGE), resolvedPage.stream().map(AlertTransition::kind).toList(),
                "the page resolving in the same step still inhibits the ticket");
        var ticket = advance(slo, status(T0.plusSeconds(180), false, true, false));
        assertEquals(AlertKind.TICKET, ticket.get(0).kind());
        advance(slo, status(T0.plusSeconds(240), false, false, false));
        var again = advance(slo, status(T0.plusSeconds(300), true, false, false));
        assertTrue(!again.get(0).dedupKey().equals(both.get(0).dedupKey()), "a new incident, a new dedup key");
    }

    @Test
    void exhaustedBudgetRaisesItsOwnTicketEvenDuringAPageOnceItHeldFiveMinutes() {
        var slo = slo(Duration.ZERO);
        var transitions = advance(slo, status(T0, true, false, true));
        assertEquals(List.of(AlertKind.PAGE, AlertKind.BUDGET_EXHAUSTED),
                transitions.stream().map(AlertTransition::kind).toList());
        assertEquals(AlertStatus.PENDING, transitions.get(1).to(), "an exhausted budget must hold a while");
        assertTrue(advance(slo, status(T0.plusSeconds(240), true, false, true)).isEmpty());
        var fired = advance(slo, status(T0.plusSeconds(300), true, false, true));
        assertEquals(AlertStatus.FIRING, fired.get(0).to());
        assertTrue(fired.get(0).summary().contains("has exhausted its error budget"), fired.get(0).summary());
    }

    @Test
    void summaryStatesTheObjectiveAsAPercentOverTheWindowInWords() {
        var slo = new SloDefinition("jira-availability", "tracker", "", new SloScope("jira", null, null),
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.9990000000000001), WINDOW,
                new AlertPolicy(MultiWindowRule.workbookDefaults(WINDOW.length()), 0, 0, Duration.ZERO, true));
        var fired = advance(slo, status(T0, true, false, false));
        assertEquals("jira-availability is burning its error budget fast (availability (tool and transport "
                + "failures), objective 99.9 % over 30 days): budget remaining 100.0 %, burn rate 1h 20.0, 5m 30.0",
                fired.get(0).summary());
    }

    @Test
    void slowRulesOfShortWindowsNeverFireBelowABurnRateOfOne() {
        List<Double> sevenDays = MultiWindowRule.workbookDefaults(Duration.ofDays(7)).stream()
                .map(MultiWindowRule::burnRateThreshold).toList();
        assertEquals(List.of(3.36, 1.4, 1.0, 1.0), sevenDays.stream().map(t -> Math.round(t * 100) / 100.0).toList());
    }

    @Test
    void aRemovedSloResolvesItsFiringAlertWithTheSameKeyAndLetsPendingOnesLapse() {
        var slo = slo(Duration.ZERO);
        var fired = advance(slo, status(T0, true, false, true));
        var retired = SloAlerting.retire(slo.id(), slo.team(), states, T0.plusSeconds(60));
        assertEquals(List.of(AlertStatus.RESOLVED, AlertStatus.INACTIVE), retired.stream().map(AlertTransition::to).toList());
        assertEquals(fired.get(0).dedupKey(), retired.get(0).dedupKey());
        assertTrue(retired.get(0).notifies() && !retired.get(1).notifies(), "only the page that fired is notified");
        assertEquals("tracker", retired.get(0).team());
    }
}

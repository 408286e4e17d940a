package io.mcpslo.engine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.CalendarWindow;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A period evaluated again from its minutes: figures for weeks nobody evaluated live, the same each time. */
class SloReplayTest {

    private static final Instant WEEK = Instant.parse("2026-11-16T00:00:00Z");
    private static final Instant END = WEEK.plus(Duration.ofDays(7));

    private static SloDefinition slo(SloWindow window) {
        return new SloDefinition("github", "devtools", "", SloScope.ALL,
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.99), window,
                AlertPolicy.defaultsFor(window));
    }

    /** Ten calls a minute from {@code from} to {@code to}, {@code bad} of them failing as the function says. */
    private static Map<Instant, RollupAggregate> minutes(Instant from, Instant to, Function<Instant, Integer> bad) {
        Map<Instant, RollupAggregate> minutes = new TreeMap<>();
        for (Instant minute = from; minute.isBefore(to); minute = minute.plus(Duration.ofMinutes(1))) {
            int failed = bad.apply(minute);
            minutes.put(minute, new RollupAggregate(new OutcomeCounts(10 - failed, 0, failed, 0, 0), SketchBins.EMPTY));
        }
        return minutes;
    }

    @Test
    void aSteadyWeekBurnsItsBudgetEvenlyAndFiresNothing() {
        SloDefinition slo = slo(new RollingWindow(Duration.ofDays(30)));
        // one failure every 200 minutes: 0.05 % of calls, burn rate 0.05; an hour holds one failure at most
        var minutes = minutes(SloReplay.historyStart(slo, WEEK), END,
                minute -> minute.getEpochSecond() / 60 % 200 == 0 ? 1 : 0);

        SloReplay.Result result = SloReplay.replay(slo, minutes, WEEK, END);

        assertEquals(7 * 24 * 60 * 10, result.period().total());
        assertEquals(0.9995, result.attainment(), 1e-4);
        assertEquals(0.05, result.atEnd().budget().consumedFraction(), 0.003, "30 days at burn rate 0.05");
        assertEquals(0.05 * 7 / 30, result.budgetConsumedInPeriod(), 0.002, "a week's share of that");
        assertEquals(1 / 600.0 / 0.01, result.peakBurnRates().get("1h"), 1e-9, "one failure among 600 calls");
        assertEquals(0, result.alerts().size());
        assertEquals(result, SloReplay.replay(slo, minutes, WEEK, END), "the same figures each time");
    }

    @Test
    void anOutageInTheWeekIsAPageThatWouldHaveFiredAndOneStillFiringAtTheEndHasNoResolution() {
        SloDefinition slo = slo(new RollingWindow(Duration.ofDays(30)));
        Instant outage = WEEK.plus(Duration.ofDays(2)).plus(Duration.ofHours(10));
        Instant lateOutage = END.minus(Duration.ofMinutes(20));
        var minutes = minutes(SloReplay.historyStart(slo, WEEK), END, minute ->
                !minute.isBefore(outage) && minute.isBefore(outage.plus(Duration.ofMinutes(30)))
                        || !minute.isBefore(lateOutage) ? 10 : 0);

        SloReplay.Result result = SloReplay.replay(slo, minutes, WEEK, END);

        assertEquals(2, result.alerts().size(), result.alerts().toString());
        SloReplay.ReplayedAlert page = result.alerts().get(0);
        assertEquals(AlertKind.PAGE, page.kind());
        // 1h burn 14.4 needs 14.4 % of the hour's calls failed: 8.64 minutes of full outage
        assertEquals(outage.plus(Duration.ofMinutes(9)), page.firedAt(), page.toString());
        assertTrue(page.resolvedAt().isAfter(outage.plus(Duration.ofMinutes(30))), page.toString());
        assertEquals("page-1h-5m", page.rule());
        assertNull(result.alerts().get(1).resolvedAt(), "still firing when the week ends");
        assertEquals(50.0, result.peakBurnRates().get("1h"), 1e-9, "half an hour of full outage in an hour: 0.5 / 0.01");
    }

    @Test
    void anAlertFiringSinceBeforeTheWeekIsNotReportedAsFiringInIt() {
        SloDefinition slo = slo(new RollingWindow(Duration.ofDays(30)));
        Instant outage = WEEK.minus(Duration.ofHours(2));
        var minutes = minutes(SloReplay.historyStart(slo, WEEK), END,
                minute -> !minute.isBefore(outage) && minute.isBefore(WEEK.plus(Duration.ofMinutes(10))) ? 10 : 0);

        SloReplay.Result result = SloReplay.replay(slo, minutes, WEEK, END);

        assertTrue(result.alerts().stream().noneMatch(alert -> alert.kind() == AlertKind.PAGE), result.alerts()
                .toString());
    }

    @Test
    void aCalendarWeekEndingWithThePeriodIsStillThePeriodsOwnWindowAtItsEnd() {
        SloDefinition slo = slo(new CalendarWindow(CalendarWindow.Period.WEEK, ZoneOffset.UTC));
        var minutes = minutes(SloReplay.historyStart(slo, WEEK), END, minute -> minute.equals(WEEK) ? 5 : 0);

        SloReplay.Result result = SloReplay.replay(slo, minutes, WEEK, END);

        assertEquals(WEEK, result.atEnd().windowStart());
        assertEquals(7 * 24 * 60 * 10, result.atEnd().budget().events().total(), "the whole week, not an empty one");
        assertEquals(5 / (0.01 * 7 * 24 * 60 * 10), result.budgetConsumedInPeriod(), 1e-9);
    }

    @Test
    void aCalendarWeekOfAnotherTimeZoneIsTheWindowThatHoldsMostOfTheReportWeek() {
        // Paris weeks end at Sunday 23:00 UTC: at the UTC week's end the new window is one hour old
        SloDefinition slo = slo(new CalendarWindow(CalendarWindow.Period.WEEK, java.time.ZoneId.of("Europe/Paris")));
        var minutes = minutes(SloReplay.historyStart(slo, WEEK), END, minute -> minute.equals(WEEK) ? 5 : 0);

        SloReplay.Result result = SloReplay.replay(slo, minutes, WEEK, END);

        assertEquals(Instant.parse("2026-11-15T23:00:00Z"), result.atEnd().windowStart(), "the Paris week of the week");
        assertEquals(7 * 24 * 60 * 10, result.atEnd().budget().events().total());
        assertEquals(5 / (0.01 * 7 * 24 * 60 * 10), result.budgetConsumedInPeriod(), 1e-9, "not 5 against an hour's budget");
    }

    @Test
    void aWeekWithoutTrafficHasNoAttainmentNorBudgetButZeroBurns() {
        SloDefinition slo = slo(new RollingWindow(Duration.ofDays(30)));

        SloReplay.Result result = SloReplay.replay(slo, Map.of(), WEEK, END);

        assertNull(result.attainment());
        assertNull(result.budgetConsumedInPeriod());
        assertEquals(0.0, result.peakBurnRates().get("1d"));
        assertTrue(result.alerts().isEmpty());
    }
}

package io.mcpslo.engine.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CalendarWindowTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void monthStartsAtLocalMidnightOfTheFirstAndTheBudgetStartsAfreshAcrossTheBoundary() {
        var month = new CalendarWindow(CalendarWindow.Period.MONTH, NEW_YORK);
        // 2026-11-01 03:30 UTC is still October 31st in New York (EDT, UTC−4)
        Instant lastOfOctober = Instant.parse("2026-11-01T03:30:00Z");
        assertEquals(Instant.parse("2026-10-01T04:00:00Z"), month.start(lastOfOctober));
        assertEquals(Instant.parse("2026-11-01T04:00:00Z"), month.end(lastOfOctober));
        Instant firstOfNovember = Instant.parse("2026-11-01T04:30:00Z");
        assertEquals(Instant.parse("2026-11-01T04:00:00Z"), month.start(firstOfNovember));
        // November holds the end of DST (Nov 1st 2026, 02:00 EDT → 01:00 EST): 30 days and one hour
        assertEquals(Duration.ofDays(30).plusHours(1),
                Duration.between(month.start(firstOfNovember), month.end(firstOfNovember)));

        MinuteSeries series = new MinuteSeries();
        series.put(Instant.parse("2026-11-01T03:00:00Z"), new EventCounts(0, 50));
        series.put(Instant.parse("2026-11-01T04:10:00Z"), new EventCounts(1000, 0));
        var slo = new SloDefinition("billing", "payments", "", SloScope.ALL,
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.99), month,
                AlertPolicy.defaultsFor(month));
        SloStatus november = SloCalculator.status(slo, series, firstOfNovember);
        assertEquals(new EventCounts(1000, 0), november.budget().events(), "October's failures stay in October");
        assertEquals(1.0, november.budget().remainingFraction(), 1e-9);
        SloStatus october = SloCalculator.status(slo, series, lastOfOctober);
        assertEquals(new EventCounts(0, 50), october.budget().events());
    }

    @Test
    void weekAcrossTheSpringDstChangeIsAnHourShorterAndStartsMondayMidnight() {
        var week = new CalendarWindow(CalendarWindow.Period.WEEK, NEW_YORK);
        // DST began Sunday 2026-03-08 02:00 local; the week is Monday 03-02 to Monday 03-09
        Instant sundayAfterChange = Instant.parse("2026-03-08T12:00:00Z");
        assertEquals(Instant.parse("2026-03-02T05:00:00Z"), week.start(sundayAfterChange), "EST midnight");
        assertEquals(Instant.parse("2026-03-09T04:00:00Z"), week.end(sundayAfterChange), "EDT midnight");
        assertEquals(Duration.ofDays(7).minusHours(1),
                Duration.between(week.start(sundayAfterChange), week.end(sundayAfterChange)));
    }

    @Test
    void quarterFollowsTheCalendarQuarterInItsZone() {
        var quarter = new CalendarWindow(CalendarWindow.Period.QUARTER, ZoneId.of("Europe/Paris"));
        Instant may = Instant.parse("2026-05-20T10:00:00Z");
        assertEquals(Instant.parse("2026-03-31T22:00:00Z"), quarter.start(may), "April 1st 00:00 CEST");
        assertEquals(Instant.parse("2026-06-30T22:00:00Z"), quarter.end(may));
    }

    @Test
    void anchoredWeekStartsAtTheAnchorsWeekdayAndHourAsOpenSloStartTimeSays() {
        // OpenSLO example: calendar startTime 2022-01-01 12:00:00 America/New_York (a Saturday noon)
        var week = new CalendarWindow(CalendarWindow.Period.WEEK, NEW_YORK,
                java.time.LocalDateTime.of(2022, 1, 1, 12, 0));
        Instant wednesday = Instant.parse("2026-11-25T15:00:00Z");
        assertEquals(Instant.parse("2026-11-21T17:00:00Z"), week.start(wednesday), "Saturday noon EST");
        assertEquals(Instant.parse("2026-11-28T17:00:00Z"), week.end(wednesday));
        assertEquals(Instant.parse("2026-11-21T17:00:00Z"), week.start(Instant.parse("2026-11-21T17:00:00Z")),
                "a boundary belongs to the window it starts");
    }
}

package io.mcpslo.engine.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SloAlerting;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Workbook's full-outage vector evaluated as the stream does: calls arrive every second, the current minute
 * counts as far as it has arrived, and the SLO is evaluated every second.
 */
class LiveOutageTest {

    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    private static final int CALLS_PER_SECOND = 20;

    private final SloDefinition slo = new SloDefinition("github-availability", "devtools", "", SloScope.ALL,
            new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.999),
            new RollingWindow(Duration.ofDays(30)), AlertPolicy.defaultsFor(new RollingWindow(Duration.ofDays(30))));
    private final MinuteSeries series = new MinuteSeries();
    private final Map<Long, OutcomeCounts> minutes = new java.util.HashMap<>();
    private Map<AlertKind, AlertState> states = new EnumMap<>(AlertKind.class);
    private final List<AlertTransition> transitions = new ArrayList<>();

    private void second(Instant at, boolean outage) {
        long minute = at.getEpochSecond() / 60;
        OutcomeCounts counts = minutes.getOrDefault(minute, OutcomeCounts.ZERO);
        counts = counts.plus(outage ? new OutcomeCounts(0, 0, CALLS_PER_SECOND, 0, 0)
                : new OutcomeCounts(CALLS_PER_SECOND, 0, 0, 0, 0));
        minutes.put(minute, counts);
        series.put(Instant.ofEpochSecond(minute * 60), slo.sli().count(new RollupAggregate(counts, SketchBins.EMPTY)));
        // evaluated after this second's calls arrived, i.e. at the end of the second
        SloStatus status = SloCalculator.status(slo, series, at.plusSeconds(1));
        SloAlerting.Step step = SloAlerting.advance(slo, status, states);
        states = step.states();
        transitions.addAll(step.transitions());
    }

    @Test
    void fullOutagePagesWithinOneSecondOfTheWorkbooksDetectionTimeAndResolvesWhenTheShortWindowClears() {
        // four days of clean traffic first, so every rule's long window is full, as the Workbook assumes
        Instant outageStart = START.plus(Duration.ofDays(4));
        Instant outageEnd = outageStart.plus(Duration.ofMinutes(10));
        for (Instant minute = START; minute.isBefore(outageStart); minute = minute.plus(Duration.ofMinutes(1))) {
            series.put(minute, new EventCounts(CALLS_PER_SECOND * 60, 0));
        }
        for (Instant at = outageStart; at.isBefore(outageEnd.plus(Duration.ofMinutes(40))); at = at.plusSeconds(1)) {
            second(at, !at.isBefore(outageStart) && at.isBefore(outageEnd));
        }
        AlertTransition fired = transitions.stream()
                .filter(t -> t.kind() == AlertKind.PAGE && t.to() == AlertStatus.FIRING).findFirst().orElseThrow();
        // 1 h × 14.4 × 0.1 % = 51.84 s of full outage; evaluated once a second, the page is due at 52 s
        double detectedAfter = Duration.between(outageStart, fired.at()).toMillis() / 1000.0;
        assertTrue(detectedAfter >= 51.84 && detectedAfter <= 51.84 + 1, "paged after " + detectedAfter + " s");
        assertEquals("page-1h-5m", fired.rule());

        AlertTransition resolved = transitions.stream()
                .filter(t -> t.kind() == AlertKind.PAGE && t.to() == AlertStatus.RESOLVED).findFirst().orElseThrow();
        assertEquals(fired.dedupKey(), resolved.dedupKey(), "a trigger and its resolve share the dedup key");
        double resolvedAfterEnd = Duration.between(outageEnd, resolved.at()).toSeconds();
        // ten minutes of outage also trip the 6h/30m pair, so the page holds until its 30-minute window is clean
        assertTrue(resolvedAfterEnd > 29 * 60 && resolvedAfterEnd <= 30 * 60, "resolved " + resolvedAfterEnd + " s after");
        assertEquals(2, transitions.stream().filter(t -> t.kind() == AlertKind.PAGE).count(),
                "one trigger and one resolve, nothing in between: " + transitions);
        // 10 minutes of outage spend 23 % of a 30-day budget: a ticket follows, but never while the page fires
        assertTrue(transitions.stream().filter(t -> t.kind() == AlertKind.TICKET && t.to() == AlertStatus.FIRING)
                .allMatch(t -> !t.at().isBefore(resolved.at())), "the page inhibits the ticket: " + transitions);
        assertTrue(fired.summary().startsWith("github-availability is burning its error budget fast"), fired.summary());
    }
}

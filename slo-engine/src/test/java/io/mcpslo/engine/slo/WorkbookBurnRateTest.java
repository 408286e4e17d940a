package io.mcpslo.engine.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.rollup.OutcomeCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The SRE Workbook's multiwindow, multi-burn-rate numbers as test vectors, minute by minute. */
class WorkbookBurnRateTest {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);
    private static final Objective THREE_NINES = new Objective(0.999);
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final int CALLS_PER_MINUTE = 1_000;

    private final BurnRateEvaluator evaluator = new BurnRateEvaluator(THREE_NINES,
            MultiWindowRule.workbookDefaults(THIRTY_DAYS), 0, 0);
    private final MinuteSeries series = new MinuteSeries();

    /** Fills minutes [from, to) with traffic whose error ratio is given per minute index. */
    private void traffic(int fromMinute, int toMinute, IntToDoubleFunction errorRatio) {
        for (int minute = fromMinute; minute < toMinute; minute++) {
            long bad = Math.round(CALLS_PER_MINUTE * errorRatio.applyAsDouble(minute));
            series.put(START.plus(Duration.ofMinutes(minute)), new EventCounts(CALLS_PER_MINUTE - bad, bad));
        }
    }

    private List<BurnRateEvaluator.RuleState> at(int minute) {
        return evaluator.evaluate(series, START.plus(Duration.ofMinutes(minute)));
    }

    private static boolean fires(List<BurnRateEvaluator.RuleState> states, int ruleIndex) {
        return states.get(ruleIndex).firing();
    }

    @Test
    void thresholdsAreTheWorkbooksForThirtyDays() {
        List<Double> thresholds = MultiWindowRule.workbookDefaults(THIRTY_DAYS).stream()
                .map(MultiWindowRule::burnRateThreshold).toList();
        assertEquals(14.4, thresholds.get(0), 1e-9);
        assertEquals(6, thresholds.get(1), 1e-9);
        assertEquals(3, thresholds.get(2), 1e-9);
        assertEquals(1, thresholds.get(3), 1e-9);
        assertEquals(3.36, MultiWindowRule.workbookDefaults(Duration.ofDays(7)).get(0).burnRateThreshold(), 1e-9);
    }

    @Test
    void fullOutagePagesOnTheFastPairWithinOneStepOfTheoreticalDetectionAndResolvesWhenTheShortWindowClears() {
        int outageStart = 3 * 24 * 60;
        int outageEnd = outageStart + 20;
        traffic(0, outageStart + 120, minute -> minute >= outageStart && minute < outageEnd ? 1 : 0);
        // theoretical detection: 1 h × 14.4 × 0.1 % = 51.8 s of full outage; one evaluation step is one minute
        double detectionSeconds = 3600 * 14.4 * THREE_NINES.errorBudget();
        assertEquals(51.84, detectionSeconds, 1e-9);
        assertFalse(fires(at(outageStart), 0), "nothing before the outage");
        assertTrue(fires(at(outageStart + 1), 0), "paged at the first step after 51.8 s of outage");
        assertTrue(fires(at(outageEnd), 0));
        assertTrue(fires(at(outageEnd + 4), 0), "the short window still sees the outage");
        assertFalse(fires(at(outageEnd + 5), 0), "resolved once the 5-minute window is clean");
    }

    @Test
    void onePercentErrorsPageOnTheSlowPairOnly() {
        // burn rate 10: above 6 (6 h / 30 m), below 14.4 (1 h / 5 m)
        traffic(0, 24 * 60, minute -> 0.01);
        List<BurnRateEvaluator.RuleState> states = at(24 * 60);
        assertEquals(10, states.get(1).longBurnRate(), 1e-9);
        assertFalse(fires(states, 0));
        assertTrue(fires(states, 1));
    }

    @Test
    void twoPercentErrorsAreABurnRateOfTwentyAndSoPageOnBothPairs() {
        // at 99.9 % a 2 % error ratio burns 20× — above 14.4 — so the fast pair pages too; the slow pair alone
        // pages for error ratios in [0.6 %, 1.44 %)
        traffic(0, 6 * 60, minute -> 0.02);
        List<BurnRateEvaluator.RuleState> states = at(6 * 60);
        assertEquals(20, states.get(0).longBurnRate(), 1e-9);
        assertTrue(fires(states, 0));
        assertTrue(fires(states, 1));
    }

    @Test
    void tenMinuteBlipOfHalfAPercentPagesNothing() {
        int blip = 24 * 60;
        traffic(0, blip + 120, minute -> minute >= blip && minute < blip + 10 ? 0.005 : 0);
        for (int minute = blip; minute <= blip + 120; minute++) {
            assertTrue(at(minute).stream().noneMatch(BurnRateEvaluator.RuleState::firing), "minute " + minute);
        }
    }

    @Test
    void lowTrafficGuardKeepsOneFailureInTenCallsAnHourQuiet() {
        MinuteSeries sparse = new MinuteSeries();
        for (int call = 0; call < 10; call++) {
            sparse.put(START.plus(Duration.ofMinutes(call * 6L)), new EventCounts(call == 9 ? 0 : 1, call == 9 ? 1 : 0));
        }
        Instant now = START.plus(Duration.ofMinutes(56));
        var guarded = new BurnRateEvaluator(THREE_NINES, MultiWindowRule.workbookDefaults(THIRTY_DAYS), 100, 0);
        assertTrue(guarded.evaluate(sparse, now).stream().noneMatch(BurnRateEvaluator.RuleState::firing));
        var unguarded = new BurnRateEvaluator(THREE_NINES, MultiWindowRule.workbookDefaults(THIRTY_DAYS), 0, 0);
        assertTrue(unguarded.evaluate(sparse, now).get(0).firing(), "without the guard the same data pages");
    }

    @Test
    void failureLocusSplitsTheBudgetBetweenToolAndTransport() {
        var counts = new OutcomeCounts(90, 6, 2, 1, 1);
        assertEquals(new EventCounts(96, 2), new AvailabilitySli(FailureLocus.TRANSPORT, false, false).count(counts));
        assertEquals(new EventCounts(92, 6), new AvailabilitySli(FailureLocus.TOOL, false, false).count(counts));
        assertEquals(new EventCounts(90, 8), new AvailabilitySli(FailureLocus.BOTH, false, false).count(counts));
        assertEquals(new EventCounts(90, 10), new AvailabilitySli(FailureLocus.BOTH, true, true).count(counts));
    }
}

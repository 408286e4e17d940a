package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes an SLO's status at an instant from its per-minute SLI series. */
public final class SloCalculator {

    private SloCalculator() {
    }

    public static SloStatus status(SloDefinition slo, MinuteSeries series, Instant now) {
        Instant windowStart = slo.window().start(now);
        EventCounts windowEvents = series.sum(windowStart, now);
        ErrorBudget budget = ErrorBudget.of(slo.objective(), windowEvents,
                series.sum(now, ErrorBudget.CURRENT_BURN_WINDOW));
        Map<String, Double> burnRates = new HashMap<>();
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            burnRates.put(DurationText.format(window), slo.objective().burnRate(series.sum(now, window)));
        }
        List<BurnRateEvaluator.RuleState> rules = BurnRateEvaluator.of(slo.objective(), slo.alerting())
                .evaluate(series, now);
        boolean page = rules.stream().anyMatch(rule -> rule.firing() && rule.rule().severity() == Severity.PAGE);
        boolean ticket = rules.stream().anyMatch(rule -> rule.firing() && rule.rule().severity() == Severity.TICKET);
        boolean exhausted = slo.alerting().budgetExhaustedAlert() && budget.exhausted()
                && windowEvents.total() >= slo.alerting().minEvents()
                && windowEvents.bad() >= slo.alerting().minBadEvents();
        Double sli = windowEvents.total() == 0 ? null : (double) windowEvents.good() / windowEvents.total();
        return new SloStatus(slo.id(), slo.team(), now, windowStart, slo.window().end(now), sli,
                slo.objective().target(), budget, burnRates, rules, page, ticket, exhausted);
    }
}

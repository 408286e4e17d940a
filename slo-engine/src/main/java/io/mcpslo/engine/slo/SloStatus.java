package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An SLO at an instant: its SLI over the window so far (null without events), the budget, the burn rate over
 * each standard window, and which alert conditions hold.
 */
public record SloStatus(String sloId, String team, Instant at, Instant windowStart, Instant windowEnd, Double sli,
                        double objective, ErrorBudget budget, Map<String, Double> burnRates,
                        List<BurnRateEvaluator.RuleState> rules, boolean pageCondition, boolean ticketCondition,
                        boolean budgetExhaustedCondition) {

    /** The windows every status reports a burn rate for. */
    public static final List<Duration> BURN_RATE_WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3));

    public SloStatus {
        burnRates = Map.copyOf(burnRates);
        rules = List.copyOf(rules);
    }
}

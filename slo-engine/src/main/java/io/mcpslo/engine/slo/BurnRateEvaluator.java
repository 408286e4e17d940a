package io.mcpslo.engine.slo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which multiwindow rules hold at an instant. The low-traffic guard keeps a rule quiet until its long
 * window holds at least {@code minEvents} events and {@code minBadEvents} bad ones, so one failure among ten
 * calls an hour does not wake anyone.
 */
public record BurnRateEvaluator(Objective objective, List<MultiWindowRule> rules, long minEvents, long minBadEvents) {

    public BurnRateEvaluator {
        rules = List.copyOf(rules);
        if (minEvents < 0 || minBadEvents < 0) {
            throw new IllegalArgumentException("low-traffic guard counts must be >= 0");
        }
    }

    public static BurnRateEvaluator of(Objective objective, AlertPolicy policy) {
        return new BurnRateEvaluator(objective, policy.rules(), policy.minEvents(), policy.minBadEvents());
    }

    /** One rule's view at an instant: both burn rates, whether the guard let it speak, and whether it fires. */
    public record RuleState(MultiWindowRule rule, double longBurnRate, double shortBurnRate, boolean guarded,
                            boolean firing) {
    }

    public List<RuleState> evaluate(MinuteSeries series, Instant now) {
        List<RuleState> states = new ArrayList<>(rules.size());
        for (MultiWindowRule rule : rules) {
            EventCounts longWindow = series.sum(now, rule.longWindow());
            EventCounts shortWindow = series.sum(now, rule.shortWindow());
            double longBurn = objective.burnRate(longWindow);
            double shortBurn = objective.burnRate(shortWindow);
            boolean guarded = longWindow.total() < minEvents || longWindow.bad() < minBadEvents;
            boolean firing = !guarded && longBurn >= rule.burnRateThreshold()
                    && shortBurn >= rule.burnRateThreshold();
            states.add(new RuleState(rule, longBurn, shortBurn, guarded, firing));
        }
        return states;
    }
}

package io.mcpslo.engine.slo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which multiwindow rules hold at an instant. The low-traffic guard keeps a rule quiet until its
 * long window holds at least {@code minEventsInLongWindow} events, so one failure among ten calls an hour
 * does not wake anyone.
 */
public record BurnRateEvaluator(Objective objective, List<MultiWindowRule> rules, long minEventsInLongWindow) {

    public BurnRateEvaluator {
        rules = List.copyOf(rules);
        if (minEventsInLongWindow < 0) {
            throw new IllegalArgumentException("minimum events must be >= 0");
        }
    }

    /** One rule's view at an instant: both burn rates and whether it fires. */
    public record RuleState(MultiWindowRule rule, double longBurnRate, double shortBurnRate, boolean firing) {
    }

    public List<RuleState> evaluate(MinuteSeries series, Instant now) {
        List<RuleState> states = new ArrayList<>(rules.size());
        for (MultiWindowRule rule : rules) {
            EventCounts longWindow = series.sum(now, rule.longWindow());
            EventCounts shortWindow = series.sum(now, rule.shortWindow());
            double longBurn = objective.burnRate(longWindow);
            double shortBurn = objective.burnRate(shortWindow);
            boolean enoughTraffic = longWindow.total() >= minEventsInLongWindow;
            boolean firing = enoughTraffic && longBurn >= rule.burnRateThreshold()
                    && shortBurn >= rule.burnRateThreshold();
            states.add(new RuleState(rule, longBurn, shortBurn, firing));
        }
        return states;
    }
}

package io.mcpslo.engine.slo;

import java.time.Duration;

/**
 * The error budget of a window so far. Budgets are event based: {@code allowedBad} = (1 − objective) × events,
 * so the budget grows with traffic. {@code remainingFraction} goes below 0 once the budget is overspent.
 * {@code timeToExhaustion} is null when the current burn (over the last hour) would never exhaust it.
 */
public record ErrorBudget(EventCounts events, double allowedBad, double remainingBad, double consumedFraction,
                          double remainingFraction, Duration timeToExhaustion) {

    static final Duration CURRENT_BURN_WINDOW = Duration.ofHours(1);

    /**
     * Budget of {@code events} under {@code objective}; the time to exhaustion extrapolates the last hour:
     * at r events a minute burning at b, the remaining budget R changes by r·(1 − o)·(1 − b) a minute, so it
     * is gone in R / (r·(1 − o)·(b − 1)) minutes when b > 1.
     */
    public static ErrorBudget of(Objective objective, EventCounts events, EventCounts lastHour) {
        double allowed = objective.errorBudget() * events.total();
        double remaining = allowed - events.bad();
        double consumedFraction = allowed == 0 ? 0 : events.bad() / allowed;
        Duration toExhaustion = null;
        if (remaining <= 0 && events.bad() > 0) {
            toExhaustion = Duration.ZERO;
        } else {
            double burn = objective.burnRate(lastHour);
            double eventsPerMinute = lastHour.total() / (double) CURRENT_BURN_WINDOW.toMinutes();
            if (burn > 1 && eventsPerMinute > 0) {
                double minutes = remaining / (eventsPerMinute * objective.errorBudget() * (burn - 1));
                toExhaustion = Duration.ofSeconds((long) Math.min(minutes * 60, Duration.ofDays(3650).toSeconds()));
            }
        }
        return new ErrorBudget(events, allowed, remaining, consumedFraction, 1 - consumedFraction, toExhaustion);
    }

    public boolean exhausted() {
        return events.bad() > 0 && remainingBad <= 0;
    }
}

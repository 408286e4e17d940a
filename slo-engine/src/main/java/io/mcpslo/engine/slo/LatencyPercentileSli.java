package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.RollupAggregate;

/**
 * A timeslice SLI: a minute is good when its {@code percentile} latency is at most {@code thresholdMs}. A minute
 * without calls is no slice at all, so quiet hours neither earn nor spend budget.
 */
public record LatencyPercentileSli(double percentile, double thresholdMs) implements Sli {

    public LatencyPercentileSli {
        if (!(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("percentile must be between 0 and 1 (exclusive), was " + percentile);
        }
        if (!(thresholdMs > 0) || Double.isInfinite(thresholdMs)) {
            throw new IllegalArgumentException("latency threshold must be a positive number of ms, was " + thresholdMs);
        }
    }

    @Override
    public EventCounts count(RollupAggregate minute) {
        if (minute.latency().totalCount() == 0) {
            return EventCounts.NONE;
        }
        return minute.latency().quantile(percentile) <= thresholdMs ? new EventCounts(1, 0) : new EventCounts(0, 1);
    }

    @Override
    public String describe() {
        return "p" + formatNumber(percentile * 100) + " at most " + formatMs(thresholdMs) + " per minute";
    }

    static String formatMs(double ms) {
        return formatNumber(ms) + " ms";
    }

    private static String formatNumber(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}

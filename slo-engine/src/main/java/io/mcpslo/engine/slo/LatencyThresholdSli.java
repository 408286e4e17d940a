package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.RollupAggregate;

/** The fraction of calls that took at most {@code thresholdMs}, read from the latency sketch (1 % accurate). */
public record LatencyThresholdSli(double thresholdMs) implements Sli {

    public LatencyThresholdSli {
        if (!(thresholdMs > 0) || Double.isInfinite(thresholdMs)) {
            throw new IllegalArgumentException("latency threshold must be a positive number of ms, was " + thresholdMs);
        }
    }

    @Override
    public EventCounts count(RollupAggregate minute) {
        long total = minute.latency().totalCount();
        long fast = minute.latency().countAtOrBelow(thresholdMs);
        return new EventCounts(fast, total - fast);
    }

    @Override
    public String describe() {
        return "calls at most " + LatencyPercentileSli.formatMs(thresholdMs);
    }
}

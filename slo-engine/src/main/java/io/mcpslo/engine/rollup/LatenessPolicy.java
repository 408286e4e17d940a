package io.mcpslo.engine.rollup;

import java.time.Duration;
import java.time.Instant;

/**
 * Which events still count in the rollup of their own minute. Time here is stream time: the latest event
 * time seen, so a replay of old data rolls up as it did live. An event older than stream time minus the
 * allowed lateness is too late for its rollup (it is still stored raw and counted).
 */
public record LatenessPolicy(Duration allowedLateness) {

    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofHours(6);

    public LatenessPolicy {
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must be >= 0");
        }
    }

    public boolean acceptsIntoRollup(Instant eventTs, Instant streamTime) {
        return !eventTs.isBefore(streamTime.minus(allowedLateness));
    }

    /** A window is final, and its state can go, once no acceptable event can fall into it any more. */
    public boolean isFinal(RollupKey key, Instant streamTime) {
        return !key.windowEnd().isAfter(streamTime.minus(allowedLateness));
    }
}

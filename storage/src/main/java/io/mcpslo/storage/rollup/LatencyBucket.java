package io.mcpslo.storage.rollup;

import io.mcpslo.engine.rollup.OutcomeCounts;
import java.time.Instant;

/**
 * One bucket's counts and the latency percentiles of its merged sketch, in milliseconds; a percentile is null when
 * the bucket has no latency (no calls). The store reads the percentiles where the sketch is merged, so a long range
 * by a short step moves a few numbers per bucket rather than every bin.
 */
public record LatencyBucket(Instant start, OutcomeCounts counts, Double p50, Double p95, Double p99) {

    public static LatencyBucket empty(Instant start) {
        return new LatencyBucket(start, OutcomeCounts.ZERO, null, null, null);
    }
}

package io.mcpslo.storage.rollup;

import io.mcpslo.engine.rollup.OutcomeCounts;
import java.time.Instant;

/** The outcome counts of one bucket, summed over its rollups; what the failure charts read. */
public record CountsBucket(Instant start, OutcomeCounts counts) {

    public static CountsBucket empty(Instant start) {
        return new CountsBucket(start, OutcomeCounts.ZERO);
    }
}

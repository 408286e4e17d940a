package io.mcpslo.storage.rollup;

import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.sketch.SketchBins;
import java.time.Instant;

/** The rollups of one bucket merged: summed outcome counts and the merged latency sketch. */
public record RollupBucket(Instant start, OutcomeCounts counts, SketchBins latency) {

    public static RollupBucket empty(Instant start) {
        return new RollupBucket(start, OutcomeCounts.ZERO, SketchBins.EMPTY);
    }
}

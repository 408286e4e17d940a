package io.mcpslo.engine.rollup;

import io.mcpslo.engine.sketch.SketchBins;
import java.util.Objects;

/** Outcome counts and latency bins of any set of rollups: what an SLO needs of one minute of its scope. */
public record RollupAggregate(OutcomeCounts counts, SketchBins latency) {

    public static final RollupAggregate EMPTY = new RollupAggregate(OutcomeCounts.ZERO, SketchBins.EMPTY);

    public RollupAggregate {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(latency, "latency");
    }

    public static RollupAggregate of(CallRollup rollup) {
        return new RollupAggregate(rollup.counts(), rollup.latency());
    }

    public RollupAggregate plus(RollupAggregate other) {
        return new RollupAggregate(counts.plus(other.counts), latency.plus(other.latency));
    }

    /** This aggregate without {@code part}, which must have been added to it before. */
    public RollupAggregate minus(RollupAggregate part) {
        return new RollupAggregate(counts.minus(part.counts), latency.minus(part.latency));
    }

    public boolean isEmpty() {
        return counts.calls() == 0 && latency.totalCount() == 0;
    }
}

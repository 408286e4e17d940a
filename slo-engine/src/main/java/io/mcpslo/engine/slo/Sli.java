package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.RollupAggregate;

/**
 * A service level indicator computed from one minute of rollups: how many good and bad events the minute holds.
 * Ratio SLIs count calls; timeslice SLIs count the minute itself as one good or bad slice.
 */
public sealed interface Sli permits AvailabilitySli, LatencyThresholdSli, LatencyPercentileSli, TimeslicedSli {

    EventCounts count(RollupAggregate minute);

    /** A short human description, e.g. "availability (transport failures)". */
    String describe();

    /** Whether the SLI reads the latency bins of a minute (so its history must be read with them). */
    static boolean readsLatency(Sli sli) {
        return switch (sli) {
            case AvailabilitySli availability -> false;
            case LatencyThresholdSli threshold -> true;
            case LatencyPercentileSli percentile -> true;
            case TimeslicedSli sliced -> readsLatency(sliced.ratio());
        };
    }
}

package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.RollupAggregate;
import java.util.Objects;

/**
 * OpenSLO's Timeslices budgeting over a ratio SLI: a minute is one good slice when its good/total ratio reaches
 * {@code sliceTarget}. A minute without events is no slice.
 */
public record TimeslicedSli(Sli ratio, double sliceTarget) implements Sli {

    public TimeslicedSli {
        Objects.requireNonNull(ratio, "ratio");
        if (ratio instanceof TimeslicedSli || ratio instanceof LatencyPercentileSli) {
            throw new IllegalArgumentException("only a ratio SLI can be sliced, not " + ratio.describe());
        }
        if (!(sliceTarget > 0 && sliceTarget <= 1)) {
            throw new IllegalArgumentException("slice target must be within (0, 1], was " + sliceTarget);
        }
    }

    @Override
    public EventCounts count(RollupAggregate minute) {
        EventCounts events = ratio.count(minute);
        if (events.total() == 0) {
            return EventCounts.NONE;
        }
        return (double) events.good() / events.total() >= sliceTarget ? new EventCounts(1, 0) : new EventCounts(0, 1);
    }

    @Override
    public String describe() {
        return "minutes where " + ratio.describe() + " reaches " + sliceTarget;
    }
}

package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import java.util.Objects;

/**
 * Availability from rollup counts. Calls that were denied or rate limited are not valid events for
 * availability unless configured to burn: then they count as bad.
 */
public record AvailabilitySli(FailureLocus locus, boolean deniedBurns, boolean rateLimitedBurns) implements Sli {

    public AvailabilitySli {
        Objects.requireNonNull(locus, "locus");
    }

    @Override
    public EventCounts count(RollupAggregate minute) {
        return count(minute.counts());
    }

    public EventCounts count(OutcomeCounts counts) {
        long bad = switch (locus) {
            case TRANSPORT -> counts.transportError();
            case TOOL -> counts.toolError();
            case BOTH -> counts.transportError() + counts.toolError();
        };
        // failures of the other locus ran fine from this SLO's point of view
        long good = counts.ok() + switch (locus) {
            case TRANSPORT -> counts.toolError();
            case TOOL -> counts.transportError();
            case BOTH -> 0;
        };
        if (deniedBurns) {
            bad += counts.denied();
        }
        if (rateLimitedBurns) {
            bad += counts.rateLimited();
        }
        return new EventCounts(good, bad);
    }

    @Override
    public String describe() {
        return "availability (" + switch (locus) {
            case TRANSPORT -> "transport failures";
            case TOOL -> "tool failures";
            case BOTH -> "tool and transport failures";
        } + ")";
    }
}

package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.OutcomeCounts;
import java.util.Objects;

/**
 * Availability from rollup counts. Calls that were denied or rate limited are not valid events for
 * availability unless configured to burn: then they count as bad.
 */
public record AvailabilitySli(FailureLocus locus, boolean deniedBurns, boolean rateLimitedBurns) {

    public AvailabilitySli {
        Objects.requireNonNull(locus, "locus");
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
}

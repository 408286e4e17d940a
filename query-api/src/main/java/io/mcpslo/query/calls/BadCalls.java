package io.mcpslo.query.calls;

import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.LatencyPercentileSli;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.Sli;
import io.mcpslo.engine.slo.TimeslicedSli;
import io.mcpslo.schemas.Outcome;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which single calls burn an SLO's budget, by the SLO's own SLI: the calls it counts at all ({@code valid}), and of
 * those the bad ones — an outcome in {@code bad}, or a duration over {@code overMs}. {@code perCall} is false for
 * timeslice SLIs, whose budget is counted in minutes: their bad calls are the ones that made minutes bad, but a call
 * is not a unit of their budget.
 */
public record BadCalls(Set<Outcome> valid, Set<Outcome> bad, Optional<Double> overMs, boolean perCall) {

    public BadCalls {
        valid = Set.copyOf(valid);
        bad = Set.copyOf(bad);
        if (!valid.containsAll(bad)) {
            throw new IllegalArgumentException("a bad outcome must be a counted one");
        }
    }

    public static BadCalls of(Sli sli) {
        return switch (sli) {
            case AvailabilitySli availability -> availability(availability);
            // the latency sketches hold every call, whatever its outcome
            case LatencyThresholdSli threshold -> new BadCalls(EnumSet.allOf(Outcome.class), Set.of(),
                    Optional.of(threshold.thresholdMs()), true);
            case LatencyPercentileSli percentile -> new BadCalls(EnumSet.allOf(Outcome.class), Set.of(),
                    Optional.of(percentile.thresholdMs()), false);
            case TimeslicedSli sliced -> {
                BadCalls ratio = of(sliced.ratio());
                yield new BadCalls(ratio.valid(), ratio.bad(), ratio.overMs(), false);
            }
        };
    }

    /** Failures of the SLO's locus burn; denied and rate-limited calls count only when configured to burn. */
    private static BadCalls availability(AvailabilitySli sli) {
        Set<Outcome> bad = switch (sli.locus()) {
            case TRANSPORT -> EnumSet.of(Outcome.TRANSPORT_ERROR);
            case TOOL -> EnumSet.of(Outcome.TOOL_ERROR);
            case BOTH -> EnumSet.of(Outcome.TRANSPORT_ERROR, Outcome.TOOL_ERROR);
        };
        Set<Outcome> valid = EnumSet.of(Outcome.OK, Outcome.TOOL_ERROR, Outcome.TRANSPORT_ERROR);
        if (sli.deniedBurns()) {
            bad.add(Outcome.DENIED);
            valid.add(Outcome.DENIED);
        }
        if (sli.rateLimitedBurns()) {
            bad.add(Outcome.RATE_LIMITED);
            valid.add(Outcome.RATE_LIMITED);
        }
        return new BadCalls(valid, bad, Optional.empty(), true);
    }
}

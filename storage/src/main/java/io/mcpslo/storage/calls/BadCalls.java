package io.mcpslo.storage.calls;

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
 * those the bad ones — an outcome in {@code bad}, or a duration over {@code overMs}. A timeslice SLI counts its budget
 * in minutes ({@code badMinute} says when a minute is bad): its bad calls are the ones that made minutes bad, but a
 * call is not a unit of its budget.
 */
public record BadCalls(Set<Outcome> valid, Set<Outcome> bad, Optional<Double> overMs, Optional<BadMinute> badMinute) {

    /** When a minute (a slice of a timeslice SLI) of the valid calls is bad. */
    public sealed interface BadMinute {
    }

    /** Fewer than {@code sliceTarget} of the minute's valid calls are good (not bad). */
    public record GoodShareBelow(double sliceTarget) implements BadMinute {
    }

    /** The minute's {@code percentile} latency is over {@code thresholdMs}. */
    public record PercentileOver(double percentile, double thresholdMs) implements BadMinute {
    }

    public BadCalls {
        valid = Set.copyOf(valid);
        bad = Set.copyOf(bad);
        if (!valid.containsAll(bad)) {
            throw new IllegalArgumentException("a bad outcome must be a counted one");
        }
    }

    /** Whether the budget counts calls (else minutes). */
    public boolean perCall() {
        return badMinute.isEmpty();
    }

    public static BadCalls of(Sli sli) {
        return switch (sli) {
            case AvailabilitySli availability -> availability(availability);
            // the latency sketches hold every call, whatever its outcome
            case LatencyThresholdSli threshold -> new BadCalls(EnumSet.allOf(Outcome.class), Set.of(),
                    Optional.of(threshold.thresholdMs()), Optional.empty());
            case LatencyPercentileSli percentile -> new BadCalls(EnumSet.allOf(Outcome.class), Set.of(),
                    Optional.of(percentile.thresholdMs()),
                    Optional.of(new PercentileOver(percentile.percentile(), percentile.thresholdMs())));
            case TimeslicedSli sliced -> {
                BadCalls ratio = of(sliced.ratio());
                yield new BadCalls(ratio.valid(), ratio.bad(), ratio.overMs(),
                        Optional.of(new GoodShareBelow(sliced.sliceTarget())));
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
        return new BadCalls(valid, bad, Optional.empty(), Optional.empty());
    }
}

package io.mcpslo.engine.rollup;

import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.schemas.CallEvent;
import java.time.Instant;
import java.util.Objects;

/** The calls of one minute for one server, tool and version: outcome counts and a latency sketch. */
public record CallRollup(RollupKey key, OutcomeCounts counts, double latencySumMs, double latencyMaxMs,
                         SketchBins latency) {

    public CallRollup {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(latency, "latency");
        if (latency.totalCount() != counts.calls()) {
            throw new IllegalArgumentException("sketch holds " + latency.totalCount() + " latencies for "
                    + counts.calls() + " calls");
        }
    }

    public static CallRollup empty(RollupKey key) {
        return new CallRollup(key, OutcomeCounts.ZERO, 0, 0, SketchBins.EMPTY);
    }

    public static RollupKey keyOf(CallEvent call) {
        String version = Objects.requireNonNullElse(call.envelope().serverVersion(), "");
        return new RollupKey(call.envelope().server(), call.rollupTool(), version,
                RollupKey.windowStartOf(call.envelope().ts()));
    }

    /** This rollup with one more call; the call must belong to this rollup's key. */
    public CallRollup plus(CallEvent call) {
        if (!belongsHere(call)) {
            throw new IllegalArgumentException("call " + call.envelope().eventId() + " belongs to " + keyOf(call)
                    + ", not " + key);
        }
        return new CallRollup(key, counts.plusOne(call.outcome()), latencySumMs + call.durationMs(),
                Math.max(latencyMaxMs, call.durationMs()), latency.plus(call.durationMs()));
    }

    /** {@code keyOf(call).equals(key)}, without building the key: this runs once per call. */
    private boolean belongsHere(CallEvent call) {
        long windowMillis = RollupKey.WINDOW.toMillis();
        return Math.floorDiv(call.envelope().ts().toEpochMilli(), windowMillis) * windowMillis
                == key.windowStart().toEpochMilli()
                && key.server().equals(call.envelope().server())
                && key.tool().equals(call.rollupTool())
                && key.serverVersion().equals(Objects.requireNonNullElse(call.envelope().serverVersion(), ""));
    }

    /** The revision a store keeps the latest of: counts only grow, so the call count orders updates. */
    public long revision() {
        return counts.calls();
    }

    public Instant windowStart() {
        return key.windowStart();
    }
}

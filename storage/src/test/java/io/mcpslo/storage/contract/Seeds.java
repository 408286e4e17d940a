package io.mcpslo.storage.contract;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.SloStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows as the stream writes them, built from the few numbers a contract test cares about. */
final class Seeds {

    /** A minute far from the epoch and on every boundary a test uses (day, hour, 5 minutes). */
    static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
    /** Names a store must treat as values, never as query text. */
    static final String HOSTILE = "git'hub\\' OR 1=1 -- `x` \"); DROP TABLE calls; --";

    private Seeds() {
    }

    static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    /** A rollup whose calls all took {@code latencyMs}: ok, tool errors and transport errors. */
    static CallRollup rollup(String server, String tool, String version, Instant minute, int ok, int toolErrors,
                             int transportErrors, double latencyMs) {
        double[] latencies = new double[ok + toolErrors + transportErrors];
        java.util.Arrays.fill(latencies, latencyMs);
        return rollup(server, tool, version, minute, new OutcomeCounts(ok, toolErrors, transportErrors, 0, 0),
                latencies);
    }

    /** A rollup of these counts whose calls took these latencies (one per call). */
    static CallRollup rollup(String server, String tool, String version, Instant minute, OutcomeCounts counts,
                             double... latencies) {
        SketchBins bins = SketchBins.EMPTY;
        double sum = 0;
        double max = 0;
        for (double latency : latencies) {
            bins = bins.plus(latency);
            sum += latency;
            max = Math.max(max, latency);
        }
        return new CallRollup(new RollupKey(server, tool, version, minute), counts, sum, max, bins);
    }

    /** Latencies from {@code first} to {@code last} ms, one apart. */
    static double[] latencies(int first, int last) {
        double[] latencies = new double[last - first + 1];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = first + i;
        }
        return latencies;
    }

    static OutcomeCounts ok(long calls) {
        return new OutcomeCounts(calls, 0, 0, 0, 0);
    }

    /** A status of an SLO at {@code at} with this 1-hour burn rate (the other windows at a tenth of it). */
    static SloStatus status(String sloId, String team, Instant at, long good, long bad, double burn1h) {
        Map<String, Double> burnRates = new LinkedHashMap<>();
        for (String window : List.of("5m", "30m", "2h", "6h", "1d", "3d")) {
            burnRates.put(window, burn1h / 10);
        }
        burnRates.put("1h", burn1h);
        double allowed = 0.001 * (good + bad);
        double consumed = allowed == 0 ? 0 : bad / allowed;
        ErrorBudget budget = new ErrorBudget(new EventCounts(good, bad), allowed, allowed - bad, consumed,
                1 - consumed, bad > 0 ? Duration.ofSeconds(3_600) : null);
        Double sli = good + bad == 0 ? null : (double) good / (good + bad);
        return new SloStatus(sloId, team, at, at.minus(Duration.ofDays(30)), at, sli, 0.999, budget, burnRates,
                List.of(), burn1h >= 14.4, burn1h >= 6, consumed >= 1);
    }

    /** An alert transition of {@code kind} (its severity) from {@code from} to {@code to}. */
    static AlertTransition transition(String sloId, String team, AlertKind kind, AlertStatus from, AlertStatus to,
                                      Instant at, Instant incidentStart, String dedupKey) {
        return new AlertTransition(sloId, team, kind, kind.severity(), from, to, at, incidentStart, dedupKey,
                kind.label() + " " + to.name().toLowerCase(java.util.Locale.ROOT) + " on " + sloId,
                Map.of("5m", 20.0, "1h", 15.5), 0.42, "1h/5m > 14.4");
    }
}

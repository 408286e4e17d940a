package io.mcpslo.engine.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    private static double[] lognormalLatencies(long seed, int n, double mu, double sigma) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.exp(mu + sigma * random.nextGaussian());
        }
        return values;
    }

    /** Nearest-rank on the same rank convention DDSketch uses: the value at rank floor(q·(n−1)). */
    private static double exactQuantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    @Test
    void p95IsWithinOnePercentOfExactOverHundredThousandLognormalLatencies() {
        double[] latencies = lognormalLatencies(42, 100_000, Math.log(120), 0.9);
        LatencySketch sketch = LatencySketch.empty();
        for (double latency : latencies) {
            sketch.record(latency);
        }
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            double exact = exactQuantile(latencies, q);
            double estimate = sketch.quantile(q);
            double relativeError = Math.abs(estimate - exact) / exact;
            assertTrue(relativeError <= 0.01, "p" + (q * 100) + " estimate " + estimate + " vs exact " + exact
                    + ": relative error " + relativeError);
        }
        assertEquals(100_000, sketch.count());
    }

    @Test
    void mergingSketchesOfSeveralWindowsEqualsTheSketchOfTheUnion() {
        LatencySketch union = LatencySketch.empty();
        LatencySketch merged = LatencySketch.empty();
        for (int window = 0; window < 10; window++) {
            LatencySketch perWindow = LatencySketch.empty();
            for (double latency : lognormalLatencies(window, 5_000, Math.log(50 + window * 30), 1.1)) {
                perWindow.record(latency);
                union.record(latency);
            }
            perWindow.record(0);
            union.record(0);
            // through the stored form, as a query merges rows read from ClickHouse
            merged.merge(LatencySketch.of(perWindow.toBins()));
        }
        assertEquals(union.toBins(), merged.toBins());
        assertEquals(union.quantile(0.95), merged.quantile(0.95));
        assertEquals(10, merged.toBins().zeroCount());
    }

    @Test
    void storedFormRoundTripsExactly() {
        LatencySketch sketch = LatencySketch.empty();
        for (double latency : lognormalLatencies(7, 1_000, Math.log(20), 2)) {
            sketch.record(latency);
        }
        sketch.record(0);
        SketchBins bins = sketch.toBins();
        assertEquals(1_001, bins.totalCount());
        assertEquals(bins, LatencySketch.of(bins).toBins());
        assertEquals(sketch.quantile(0.99), LatencySketch.of(bins).quantile(0.99));
    }

    @Test
    void addingToBinsEqualsRecordingInTheSketch() {
        LatencySketch sketch = LatencySketch.empty();
        SketchBins bins = SketchBins.EMPTY;
        for (double latency : lognormalLatencies(9, 5_000, Math.log(40), 2.5)) {
            sketch.record(latency);
            bins = bins.plus(latency);
        }
        sketch.record(0);
        bins = bins.plus(0);
        assertEquals(sketch.toBins(), bins);
    }

    @Test
    void emptySketchHasNoQuantile() {
        assertTrue(Double.isNaN(LatencySketch.empty().quantile(0.95)));
        assertEquals(SketchBins.EMPTY, LatencySketch.empty().toBins());
    }

    @Test
    void refusesImpossibleInput() {
        LatencySketch sketch = LatencySketch.empty();
        assertThrows(IllegalArgumentException.class, () -> sketch.record(-1));
        assertThrows(IllegalArgumentException.class, () -> sketch.record(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> sketch.quantile(1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new SketchBins(new int[] {2, 1}, new long[] {1, 1}, 0));
        assertThrows(IllegalArgumentException.class, () -> new SketchBins(new int[] {1}, new long[] {0}, 0));
    }
}

package io.mcpslo.engine.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SketchBinsArithmeticTest {

    private static SketchBins of(double... latencies) {
        SketchBins bins = SketchBins.EMPTY;
        for (double latency : latencies) {
            bins = bins.plus(latency);
        }
        return bins;
    }

    @Test
    void plusThenMinusGivesBackTheOriginalBins() {
        SketchBins a = of(0, 1, 5, 5, 120, 900);
        SketchBins b = of(0, 5, 7, 3000);
        assertEquals(of(0, 0, 1, 5, 5, 5, 7, 120, 900, 3000), a.plus(b));
        assertEquals(a, a.plus(b).minus(b));
        assertEquals(SketchBins.EMPTY, a.minus(a));
    }

    @Test
    void binsDerivedByAddingMergingAndRemovingKeepATrueTotalAndEqualTheirCheckedCopy() {
        java.util.Random random = new java.util.Random(11);
        SketchBins kept = SketchBins.EMPTY;
        for (int step = 0; step < 3_000; step++) {
            SketchBins before = kept;
            kept = switch (random.nextInt(4)) {
                case 0 -> kept.plus(of(0, random.nextInt(10_000), Math.exp(random.nextDouble() * 9)));
                case 1 -> kept.size() == 0 ? kept
                        : kept.minus(new SketchBins(new int[] {kept.indexAt(0)}, new long[] {1}, 0));
                default -> kept.plus(random.nextInt(6) == 0 ? 0 : Math.exp(random.nextDouble() * 9));
            };
            // the public constructor checks the bins and sums them itself
            SketchBins checked = new SketchBins(kept.indexes(), kept.counts(), kept.zeroCount());
            assertEquals(checked.totalCount(), kept.totalCount(), "total after step " + step + " from " + before);
            assertEquals(checked, kept);
        }
    }

    @Test
    void latenciesAddedUnreadAndForkedFromOneAnotherEachEqualTheirOwnSketch() {
        java.util.Random random = new java.util.Random(3);
        java.util.List<double[]> histories = new java.util.ArrayList<>();
        java.util.List<SketchBins> derived = new java.util.ArrayList<>();
        histories.add(new double[0]);
        derived.add(SketchBins.EMPTY);
        for (int step = 0; step < 4_000; step++) {
            // add to any earlier bins, read or not, so that chains are shared, forked and folded at any point
            int from = random.nextInt(derived.size());
            double latency = random.nextInt(8) == 0 ? 0 : Math.exp(random.nextDouble() * 9);
            double[] history = java.util.Arrays.copyOf(histories.get(from), histories.get(from).length + 1);
            history[history.length - 1] = latency;
            SketchBins bins = derived.get(from).plus(latency);
            if (random.nextInt(50) == 0) {
                bins.quantile(0.5);
            }
            histories.add(history);
            derived.add(bins);
            if (derived.size() > 400) {
                histories.remove(0);
                derived.remove(0);
            }
        }
        for (int i = 0; i < derived.size(); i++) {
            LatencySketch sketch = LatencySketch.empty();
            for (double latency : histories.get(i)) {
                sketch.record(latency);
            }
            SketchBins expected = sketch.toBins();
            SketchBins bins = derived.get(i);
            assertEquals(histories.get(i).length, bins.totalCount());
            assertEquals(expected, bins, "after " + histories.get(i).length + " latencies");
            assertEquals(java.util.Arrays.toString(expected.counts()), java.util.Arrays.toString(bins.counts()));
            assertEquals(expected.quantile(0.95), bins.quantile(0.95), 0.0);
        }
    }

    @Test
    void removingLatenciesThatWereNeverAddedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> of(5).minus(of(5, 5)));
        assertThrows(IllegalArgumentException.class, () -> of(5).minus(of(0)));
    }

    @Test
    void countsLatenciesAtOrBelowAThresholdWithinTheSketchAccuracy() {
        SketchBins bins = of(0, 10, 100, 499, 501, 1000);
        assertEquals(1, bins.countAtOrBelow(1), "zero latencies are always fast enough");
        assertEquals(3, bins.countAtOrBelow(300));
        assertEquals(5, bins.countAtOrBelow(700));
        assertEquals(6, bins.countAtOrBelow(5000));
    }

    @Test
    void quantilesAreTheSketchsOwnWithoutBuildingIt() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            SketchBins bins = SketchBins.EMPTY;
            int latencies = random.nextInt(40);
            for (int i = 0; i < latencies; i++) {
                bins = bins.plus(random.nextInt(5) == 0 ? 0 : Math.exp(random.nextDouble() * 9));
            }
            LatencySketch sketch = LatencySketch.of(bins);
            for (double q : new double[] {0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
                assertEquals(sketch.quantile(q), bins.quantile(q), 0.0, bins + " at " + q);
            }
        }
        assertEquals(Double.NaN, SketchBins.EMPTY.quantile(0.95));
        assertEquals(0.0, of(0, 0, 0, 50).quantile(0.5), "the zero bucket holds the median");
        assertThrows(IllegalArgumentException.class, () -> of(5).quantile(1.01));
        assertThrows(IllegalArgumentException.class, () -> of(5).quantile(Double.NaN));
    }
}

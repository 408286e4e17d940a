package io.mcpslo.engine.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A mergeable latency distribution with 1 % relative error on every quantile (DDSketch, logarithmic
 * mapping). Percentiles over several windows come from merging sketches, never from averaging percentiles.
 */
public final class LatencySketch {

    /** Relative accuracy of every quantile; DDSketch guarantees |estimate − true| ≤ α·true. */
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    private final DDSketch sketch;

    private LatencySketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    public static LatencySketch empty() {
        return new LatencySketch(new DDSketch(MAPPING, UnboundedSizeDenseStore::new));
    }

    public static LatencySketch of(SketchBins bins) {
        Store positive = new UnboundedSizeDenseStore();
        for (int i = 0; i < bins.size(); i++) {
            positive.add(bins.indexAt(i), bins.countAt(i));
        }
        return new LatencySketch(DDSketch.of(MAPPING, new UnboundedSizeDenseStore(), positive, bins.zeroCount()));
    }

    /** The bin a latency falls in, or empty for latencies the sketch counts as zero; same rule as DDSketch. */
    static java.util.OptionalInt binIndexOf(double durationMs) {
        if (!(durationMs >= 0)) {
            throw new IllegalArgumentException("latency must be >= 0 ms, was " + durationMs);
        }
        return durationMs > MAPPING.minIndexableValue() ? java.util.OptionalInt.of(MAPPING.index(durationMs))
                : java.util.OptionalInt.empty();
    }

    /**
     * The latency a bin stands for (within the relative accuracy of every latency it counts): what {@link #quantile}
     * answers when the quantile falls in that bin.
     */
    public static double binValue(int index) {
        return MAPPING.value(index);
    }

    public void record(double durationMs) {
        if (!(durationMs >= 0)) {
            throw new IllegalArgumentException("latency must be >= 0 ms, was " + durationMs);
        }
        sketch.accept(durationMs);
    }

    public void merge(LatencySketch other) {
        sketch.mergeWith(other.sketch);
    }

    public long count() {
        return Math.round(sketch.getCount());
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    /** The latency at quantile {@code q} (0..1), in ms; NaN when the sketch is empty. */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], was " + q);
        }
        return sketch.isEmpty() ? Double.NaN : sketch.getValueAtQuantile(q);
    }

    public SketchBins toBins() {
        Store positive = sketch.getPositiveValueStore();
        int capacity = positive.isEmpty() ? 0 : positive.getMaxIndex() - positive.getMinIndex() + 1;
        int[] indexes = new int[capacity];
        long[] counts = new long[capacity];
        int size = 0;
        long binned = 0;
        for (Iterator<Bin> it = positive.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            long count = Math.round(bin.getCount());
            if (count > 0) {
                indexes[size] = bin.getIndex();
                counts[size] = count;
                binned += count;
                size++;
            }
        }
        return new SketchBins(Arrays.copyOf(indexes, size), Arrays.copyOf(counts, size), count() - binned);
    }
}

package io.mcpslo.engine.sketch;

import java.util.Arrays;

/**
 * The stored form of a {@link LatencySketch}: bin indexes of the logarithmic mapping (ascending) with their
 * counts, plus the count of zero latencies. Two sketches merge by adding counts of equal indexes, which
 * ClickHouse can do too ({@code sumMap}).
 *
 * <p>A value class rather than a record, so that it can carry its total and so that the bins it derives itself
 * ({@link #plus(double)}, merges) skip the checks the public constructor makes of bins from outside: the rollup of a
 * busy window gains one latency per call, and checking its ~150 bins and summing them again each time was a fifth
 * of the stream thread. The constructor takes the arrays over rather than copying them (every caller builds them
 * for it and lets go); the accessors still hand out copies, so no holder of a SketchBins can change it.
 */
public final class SketchBins {

    public static final SketchBins EMPTY = new SketchBins(new int[0], new long[0], 0);

    private final int[] indexes;
    private final long[] counts;
    private final long zeroCount;
    private final long totalCount;

    public SketchBins(int[] indexes, long[] counts, long zeroCount) {
        if (indexes.length != counts.length) {
            throw new IllegalArgumentException("indexes and counts differ in length: "
                    + indexes.length + " vs " + counts.length);
        }
        if (zeroCount < 0) {
            throw new IllegalArgumentException("zeroCount must be >= 0");
        }
        long total = zeroCount;
        for (int i = 0; i < indexes.length; i++) {
            if (counts[i] <= 0) {
                throw new IllegalArgumentException("bin counts must be positive, bin " + indexes[i] + " has " + counts[i]);
            }
            if (i > 0 && indexes[i] <= indexes[i - 1]) {
                throw new IllegalArgumentException("bin indexes must be strictly ascending");
            }
            total += counts[i];
        }
        this.indexes = indexes;
        this.counts = counts;
        this.zeroCount = zeroCount;
        this.totalCount = total;
    }

    /** Bins derived here from valid bins, valid by construction. */
    private SketchBins(int[] indexes, long[] counts, long zeroCount, long totalCount) {
        this.indexes = indexes;
        this.counts = counts;
        this.zeroCount = zeroCount;
        this.totalCount = totalCount;
    }

    public long zeroCount() {
        return zeroCount;
    }

    public int[] indexes() {
        return indexes.clone();
    }

    public long[] counts() {
        return counts.clone();
    }

    /** These bins with one more latency; equal to recording it in a {@link LatencySketch}, without building one. */
    public SketchBins plus(double durationMs) {
        var index = LatencySketch.binIndexOf(durationMs);
        if (index.isEmpty()) {
            return new SketchBins(indexes, counts, zeroCount + 1, totalCount + 1);
        }
        int position = Arrays.binarySearch(indexes, index.getAsInt());
        if (position >= 0) {
            long[] grown = counts.clone();
            grown[position]++;
            return new SketchBins(indexes, grown, zeroCount, totalCount + 1);
        }
        int insertAt = -position - 1;
        int[] newIndexes = new int[indexes.length + 1];
        long[] newCounts = new long[counts.length + 1];
        System.arraycopy(indexes, 0, newIndexes, 0, insertAt);
        System.arraycopy(counts, 0, newCounts, 0, insertAt);
        newIndexes[insertAt] = index.getAsInt();
        newCounts[insertAt] = 1;
        System.arraycopy(indexes, insertAt, newIndexes, insertAt + 1, indexes.length - insertAt);
        System.arraycopy(counts, insertAt, newCounts, insertAt + 1, counts.length - insertAt);
        return new SketchBins(newIndexes, newCounts, zeroCount, totalCount + 1);
    }

    /** These bins and {@code other}'s together, as if every latency had been recorded in one sketch. */
    public SketchBins plus(SketchBins other) {
        return combine(other, 1);
    }

    /** These bins without {@code other}'s latencies; {@code other} must be a part of these bins. */
    public SketchBins minus(SketchBins other) {
        return combine(other, -1);
    }

    private SketchBins combine(SketchBins other, int sign) {
        int[] mergedIndexes = new int[indexes.length + other.indexes.length];
        long[] mergedCounts = new long[mergedIndexes.length];
        int size = 0;
        int mine = 0;
        int theirs = 0;
        while (mine < indexes.length || theirs < other.indexes.length) {
            int index;
            long count;
            if (theirs >= other.indexes.length
                    || (mine < indexes.length && indexes[mine] < other.indexes[theirs])) {
                index = indexes[mine];
                count = counts[mine++];
            } else if (mine >= indexes.length || other.indexes[theirs] < indexes[mine]) {
                index = other.indexes[theirs];
                count = sign * other.counts[theirs++];
            } else {
                index = indexes[mine];
                count = counts[mine++] + sign * other.counts[theirs++];
            }
            if (count < 0) {
                throw new IllegalArgumentException("cannot remove more latencies than bin " + index + " holds");
            }
            if (count > 0) {
                mergedIndexes[size] = index;
                mergedCounts[size++] = count;
            }
        }
        long zeros = zeroCount + sign * other.zeroCount;
        if (zeros < 0) {
            throw new IllegalArgumentException("cannot remove more zero latencies than these bins hold");
        }
        return new SketchBins(Arrays.copyOf(mergedIndexes, size), Arrays.copyOf(mergedCounts, size), zeros,
                totalCount + sign * other.totalCount);
    }

    /** How many latencies were at most {@code thresholdMs}, judged by each bin's value (1 % accurate). */
    public long countAtOrBelow(double thresholdMs) {
        long count = zeroCount;
        for (int i = 0; i < indexes.length && LatencySketch.binValue(indexes[i]) <= thresholdMs; i++) {
            count += counts[i];
        }
        return count;
    }

    /**
     * The latency at quantile {@code q}, NaN without latencies: what {@link LatencySketch#quantile} answers for these
     * bins (DDSketch's rule: the first bin, after the zero bucket, whose cumulative count exceeds q·(n − 1)), without
     * building the sketch, which cost more than the walk when a chart asks it of thousands of buckets.
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], was " + q);
        }
        double total = totalCount;
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * (total - 1);
        double seen = zeroCount;
        if (seen > rank) {
            return 0;
        }
        for (int i = 0; i < indexes.length; i++) {
            seen += counts[i];
            if (seen > rank) {
                return LatencySketch.binValue(indexes[i]);
            }
        }
        throw new IllegalStateException("no bin holds rank " + rank + " of " + total);
    }

    public int size() {
        return indexes.length;
    }

    public int indexAt(int position) {
        return indexes[position];
    }

    public long countAt(int position) {
        return counts[position];
    }

    public long totalCount() {
        return totalCount;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SketchBins that && zeroCount == that.zeroCount
                && Arrays.equals(indexes, that.indexes) && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(indexes) + Arrays.hashCode(counts)) + Long.hashCode(zeroCount);
    }

    @Override
    public String toString() {
        return "SketchBins[" + indexes.length + " bins, zeroCount=" + zeroCount + ", total=" + totalCount() + "]";
    }
}

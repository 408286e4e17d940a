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
 *
 * <p>A latency added by {@link #plus(double)} is not copied into new bins at once: copying ~150 bins per call was the
 * stream's largest allocation (1.2 KB a call). It is kept aside as a link of a chain, and the chain is folded into new
 * bins when it grows to a quarter of the bins (at least {@value #MIN_UNFOLDED}), or when the bins are first read; a
 * read keeps the folded bins for the next one. Two readers racing may both fold; they compute the same bins, and each
 * representation is immutable, so either may win.
 */
public final class SketchBins {

    public static final SketchBins EMPTY = new SketchBins(new int[0], new long[0], 0);
    private static final int MIN_UNFOLDED = 16;

    private final long zeroCount;
    private final long totalCount;
    /** {@link Bins}, or bins with latencies not folded in yet; replaced by the folded bins on the first read.
     * Volatile, as it is written after construction: a SketchBins handed to another thread through a plain field
     * must not be seen without it. */
    private volatile Representation representation;

    private sealed interface Representation permits Bins, Unfolded {
    }

    private record Bins(int[] indexes, long[] counts) implements Representation {
    }

    /** {@code base} and the bin indexes of {@code count} more latencies, the newest first. */
    private record Unfolded(Bins base, Link added, int count) implements Representation {

        Bins fold() {
            int[] addedIndexes = new int[count];
            int n = 0;
            for (Link link = added; link != null; link = link.next) {
                addedIndexes[n++] = link.index;
            }
            Arrays.sort(addedIndexes);
            int[] baseIndexes = base.indexes();
            long[] baseCounts = base.counts();
            int[] indexes = new int[baseIndexes.length + count];
            long[] counts = new long[indexes.length];
            int size = 0;
            int mine = 0;
            int theirs = 0;
            while (mine < baseIndexes.length || theirs < count) {
                if (theirs >= count || (mine < baseIndexes.length && baseIndexes[mine] < addedIndexes[theirs])) {
                    indexes[size] = baseIndexes[mine];
                    counts[size++] = baseCounts[mine++];
                    continue;
                }
                int index = addedIndexes[theirs];
                long binCount = 0;
                while (theirs < count && addedIndexes[theirs] == index) {
                    binCount++;
                    theirs++;
                }
                if (mine < baseIndexes.length && baseIndexes[mine] == index) {
                    binCount += baseCounts[mine++];
                }
                indexes[size] = index;
                counts[size++] = binCount;
            }
            return new Bins(Arrays.copyOf(indexes, size), Arrays.copyOf(counts, size));
        }
    }

    /** One link of the chain of added latencies: a class, not a record, so that nothing walks it recursively. */
    private static final class Link {
        private final int index;
        private final Link next;

        Link(int index, Link next) {
            this.index = index;
            this.next = next;
        }
    }

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
        this.representation = new Bins(indexes, counts);
        this.zeroCount = zeroCount;
        this.totalCount = total;
    }

    /** Bins derived here from valid bins, valid by construction. */
    private SketchBins(Representation representation, long zeroCount, long totalCount) {
        this.representation = representation;
        this.zeroCount = zeroCount;
        this.totalCount = totalCount;
    }

    /** The bins with every added latency folded in, kept for the next read. */
    private Bins bins() {
        Representation current = representation;
        if (current instanceof Bins bins) {
            return bins;
        }
        Bins folded = ((Unfolded) current).fold();
        representation = folded;
        return folded;
    }

    public long zeroCount() {
        return zeroCount;
    }

    public int[] indexes() {
        return bins().indexes().clone();
    }

    public long[] counts() {
        return bins().counts().clone();
    }

    /** These bins with one more latency; equal to recording it in a {@link LatencySketch}, without building one. */
    public SketchBins plus(double durationMs) {
        var index = LatencySketch.binIndexOf(durationMs);
        Representation current = representation;
        if (index.isEmpty()) {
            return new SketchBins(current, zeroCount + 1, totalCount + 1);
        }
        Unfolded grown = current instanceof Unfolded unfolded
                ? new Unfolded(unfolded.base(), new Link(index.getAsInt(), unfolded.added()), unfolded.count() + 1)
                : new Unfolded((Bins) current, new Link(index.getAsInt(), null), 1);
        boolean foldNow = grown.count() >= Math.max(MIN_UNFOLDED, grown.base().indexes().length / 4);
        return new SketchBins(foldNow ? grown.fold() : grown, zeroCount, totalCount + 1);
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
        int[] indexes = bins().indexes();
        long[] counts = bins().counts();
        int[] otherIndexes = other.bins().indexes();
        long[] otherCounts = other.bins().counts();
        int[] mergedIndexes = new int[indexes.length + otherIndexes.length];
        long[] mergedCounts = new long[mergedIndexes.length];
        int size = 0;
        int mine = 0;
        int theirs = 0;
        while (mine < indexes.length || theirs < otherIndexes.length) {
            int index;
            long count;
            if (theirs >= otherIndexes.length
                    || (mine < indexes.length && indexes[mine] < otherIndexes[theirs])) {
                index = indexes[mine];
                count = counts[mine++];
            } else if (mine >= indexes.length || otherIndexes[theirs] < indexes[mine]) {
                index = otherIndexes[theirs];
                count = sign * otherCounts[theirs++];
            } else {
                index = indexes[mine];
                count = counts[mine++] + sign * otherCounts[theirs++];
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
        return new SketchBins(new Bins(Arrays.copyOf(mergedIndexes, size), Arrays.copyOf(mergedCounts, size)), zeros,
                totalCount + sign * other.totalCount);
    }

    /** How many latencies were at most {@code thresholdMs}, judged by each bin's value (1 % accurate). */
    public long countAtOrBelow(double thresholdMs) {
        int[] indexes = bins().indexes();
        long[] counts = bins().counts();
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
        int[] indexes = bins().indexes();
        long[] counts = bins().counts();
        for (int i = 0; i < indexes.length; i++) {
            seen += counts[i];
            if (seen > rank) {
                return LatencySketch.binValue(indexes[i]);
            }
        }
        throw new IllegalStateException("no bin holds rank " + rank + " of " + total);
    }

    public int size() {
        return bins().indexes().length;
    }

    public int indexAt(int position) {
        return bins().indexes()[position];
    }

    public long countAt(int position) {
        return bins().counts()[position];
    }

    public long totalCount() {
        return totalCount;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SketchBins that && zeroCount == that.zeroCount && totalCount == that.totalCount
                && Arrays.equals(bins().indexes(), that.bins().indexes())
                && Arrays.equals(bins().counts(), that.bins().counts());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(bins().indexes()) + Arrays.hashCode(bins().counts()))
                + Long.hashCode(zeroCount);
    }

    @Override
    public String toString() {
        return "SketchBins[" + size() + " bins, zeroCount=" + zeroCount + ", total=" + totalCount() + "]";
    }
}

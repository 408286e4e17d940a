package io.mcpslo.engine.dedup;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An in-memory filter in front of the stored event ids that a rollup task deduplicates against: it says when an id
 * is certainly new, so only ids it may have seen (every duplicate, and a few % of new ids) are looked up in the
 * store. Ids are remembered in buckets of stream time (the store's buckets), one chain of Bloom filters per bucket.
 * A bucket's first filter is sized for the ids of the bucket before it (a quarter more), so at a steady rate a call
 * probes one filter per bucket; when a bucket outgrows it, each further filter holds twice the ids of the chain so
 * far with one bit per id more, so the chain stays short (log2 of the surge: 8 filters and ~4 % false positives for
 * a hundredfold surge, ~1 % in one filter at a steady rate). A chain of equal 1M-id filters at ~1 % each reached 43
 * filters and 35 % false positives per bucket at 50,000 calls/s over a 15-minute bucket. Heap ({@link #bytes()}):
 * at a steady rate {@value #STEADY_BYTES_PER_ID} bytes per id of the last two buckets; at most {@value #BYTES_PER_ID_BOUND} bytes per
 * id remembered over the last three (a bucket's first filter is sized by the one before), beyond
 * {@value #MIN_FILTER_BYTES} bytes per bucket.
 *
 * <p>The filter knows only what this task added since it started. A bucket the store may already have been
 * written in before that (at or below the last bucket written before the start) is <em>incomplete</em>: for it
 * the filter never answers "certainly new", so every lookup there goes to the store.
 */
public final class RecentIds {

    static final int MAX_BITS_PER_ENTRY = 16;
    /** The first bucket after a start has no bucket before to size it: 1M ids (1.25 MB) grows little at 10k/s. */
    static final int MIN_FILTER_CAPACITY = 1 << 20;
    static final long MIN_FILTER_BYTES = (long) MIN_FILTER_CAPACITY * BloomFilter.MIN_BITS_PER_ENTRY / 8;
    /** Heap per remembered id at a steady rate: one filter per bucket, sized a quarter above the ids it gets. */
    public static final double STEADY_BYTES_PER_ID = 1.25 * BloomFilter.MIN_BITS_PER_ENTRY / 8;
    /**
     * Heap per remembered id, at most: a filter added to a chain holds as many ids as the whole chain before it, at
     * up to {@value #MAX_BITS_PER_ENTRY} bits each, and is allocated whole when the chain is full (twice the chain's
     * ids at that many bits, 4 bytes per id); and the next bucket's first filter is sized for the ids of this one
     * (a quarter more, at 10 bits) before it gets any.
     */
    public static final double BYTES_PER_ID_BOUND = 2.0 * MAX_BITS_PER_ENTRY / 8 + STEADY_BYTES_PER_ID;

    private final long bucketMs;
    private final long firstCompleteBucket;
    private final int minFilterCapacity;
    private final TreeMap<Long, Chain> chainsByBucket = new TreeMap<>();
    /** The last bucket remembered in and its chain: nearly every call remembers in and asks about the same one. */
    private long currentBucket = Long.MIN_VALUE;
    private Chain currentChain;

    /**
     * @param bucketMs            the store's bucket length
     * @param lastBucketBeforeStart the last bucket the store was written in before this task started, or
     *                            {@link Long#MIN_VALUE} when the store is empty
     */
    public RecentIds(long bucketMs, long lastBucketBeforeStart) {
        this(bucketMs, lastBucketBeforeStart, MIN_FILTER_CAPACITY);
    }

    RecentIds(long bucketMs, long lastBucketBeforeStart, int minFilterCapacity) {
        if (bucketMs < 1) {
            throw new IllegalArgumentException("bucketMs must be >= 1, was " + bucketMs);
        }
        this.bucketMs = bucketMs;
        this.firstCompleteBucket = lastBucketBeforeStart == Long.MIN_VALUE ? Long.MIN_VALUE
                : lastBucketBeforeStart + bucketMs;
        this.minFilterCapacity = minFilterCapacity;
    }

    /** The 64-bit hash of an event id that the filter keeps. */
    public static long hash(UUID id) {
        return BloomFilter.mix(id.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ id.getLeastSignificantBits());
    }

    /** False when the id was certainly not remembered in this bucket or the one before; true otherwise. */
    public boolean mightHaveSeen(long bucket, long hash) {
        return mightBeIn(bucket, hash) || mightBeIn(bucket - bucketMs, hash);
    }

    private boolean mightBeIn(long bucket, long hash) {
        if (bucket < firstCompleteBucket) {
            return true;
        }
        Chain chain = bucket == currentBucket ? currentChain : chainsByBucket.get(bucket);
        return chain != null && chain.mightContain(hash);
    }

    /** Remembers an id in a bucket, and forgets buckets no lookup from this bucket on can reach. */
    public void remember(long bucket, long hash) {
        if (bucket != currentBucket) {
            Chain chain = chainsByBucket.get(bucket);
            if (chain == null) {
                Chain before = chainsByBucket.get(bucket - bucketMs);
                long expected = before == null ? 0 : before.ids + before.ids / 4;
                chain = new Chain((int) Math.min(Integer.MAX_VALUE / 2, Math.max(minFilterCapacity, expected)));
                chainsByBucket.put(bucket, chain);
                chainsByBucket.headMap(bucket - bucketMs).clear();
            }
            currentBucket = bucket;
            currentChain = chain;
        }
        currentChain.add(hash);
    }

    /** The heap the filters hold. */
    public long bytes() {
        return chainsByBucket.values().stream().mapToLong(Chain::bytes).sum();
    }

    /** The filters of one bucket, probed for each lookup there (for tests and the bound). */
    int filtersIn(long bucket) {
        Chain chain = chainsByBucket.get(bucket);
        return chain == null ? 0 : chain.filters.size();
    }

    /** A bucket's filters: the first sized for the expected ids, each next one for as many as all before it. */
    private static final class Chain {
        private final List<BloomFilter> filters = new ArrayList<>(2);
        private BloomFilter last;
        private long capacity;
        private long ids;

        Chain(int firstCapacity) {
            grow(firstCapacity, BloomFilter.MIN_BITS_PER_ENTRY);
        }

        private void grow(int filterCapacity, int bitsPerEntry) {
            last = new BloomFilter(filterCapacity, bitsPerEntry);
            filters.add(last);
            capacity += filterCapacity;
        }

        void add(long hash) {
            if (last.isFull()) {
                grow((int) Math.min(Integer.MAX_VALUE / 2, capacity),
                        Math.min(MAX_BITS_PER_ENTRY, BloomFilter.MIN_BITS_PER_ENTRY + filters.size()));
            }
            last.add(hash);
            ids++;
        }

        boolean mightContain(long hash) {
            for (int i = filters.size() - 1; i >= 0; i--) {
                if (filters.get(i).mightContain(hash)) {
                    return true;
                }
            }
            return false;
        }

        long bytes() {
            return filters.stream().mapToLong(BloomFilter::bytes).sum();
        }
    }
}

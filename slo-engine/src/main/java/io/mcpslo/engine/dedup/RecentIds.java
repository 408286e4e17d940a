package io.mcpslo.engine.dedup;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An in-memory filter in front of the stored event ids that a rollup task deduplicates against: it says when an id
 * is certainly new, so only ids it may have seen (about 1 % of new ids, and every duplicate) are looked up in the
 * store. Ids are remembered in buckets of stream time (the store's buckets), one chain of Bloom filters per bucket,
 * about {@value #BYTES_PER_ID} bytes per id held.
 *
 * <p>The filter knows only what this task added since it started. A bucket the store may already have been
 * written in before that (at or below the last bucket written before the start) is <em>incomplete</em>: for it
 * the filter never answers "certainly new", so every lookup there goes to the store.
 */
public final class RecentIds {

    /** Heap per remembered id: the Bloom filters' 10 bits, rounded up. */
    public static final double BYTES_PER_ID = BloomFilter.BITS_PER_ENTRY / 8.0;
    static final int FILTER_CAPACITY = 1 << 20;

    private final long bucketMs;
    private final long firstCompleteBucket;
    private final int filterCapacity;
    private final TreeMap<Long, List<BloomFilter>> filtersByBucket = new TreeMap<>();

    /**
     * @param bucketMs            the store's bucket length
     * @param lastBucketBeforeStart the last bucket the store was written in before this task started, or
     *                            {@link Long#MIN_VALUE} when the store is empty
     */
    public RecentIds(long bucketMs, long lastBucketBeforeStart) {
        this(bucketMs, lastBucketBeforeStart, FILTER_CAPACITY);
    }

    RecentIds(long bucketMs, long lastBucketBeforeStart, int filterCapacity) {
        if (bucketMs < 1) {
            throw new IllegalArgumentException("bucketMs must be >= 1, was " + bucketMs);
        }
        this.bucketMs = bucketMs;
        this.firstCompleteBucket = lastBucketBeforeStart == Long.MIN_VALUE ? Long.MIN_VALUE
                : lastBucketBeforeStart + bucketMs;
        this.filterCapacity = filterCapacity;
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
        List<BloomFilter> chain = filtersByBucket.get(bucket);
        if (chain == null) {
            return false;
        }
        for (BloomFilter filter : chain) {
            if (filter.mightContain(hash)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers an id in a bucket, and forgets buckets no lookup from this bucket on can reach. */
    public void remember(long bucket, long hash) {
        List<BloomFilter> chain = filtersByBucket.get(bucket);
        if (chain == null) {
            chain = new ArrayList<>(1);
            filtersByBucket.put(bucket, chain);
            filtersByBucket.headMap(bucket - bucketMs).clear();
        }
        BloomFilter current = chain.isEmpty() ? null : chain.get(chain.size() - 1);
        if (current == null || current.isFull()) {
            current = new BloomFilter(filterCapacity);
            chain.add(current);
        }
        current.add(hash);
    }

    /** The heap the filters hold. */
    public long bytes() {
        return filtersByBucket.values().stream().flatMap(List::stream).mapToLong(BloomFilter::bytes).sum();
    }
}

package io.mcpslo.engine.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    private static final long BUCKET = 900_000;
    private final Random random = new Random(42);

    private long freshId() {
        return RecentIds.hash(new UUID(random.nextLong(), random.nextLong()));
    }

    @Test
    void everyRememberedIdMightHaveBeenSeenAndFewNewOnesDo() {
        RecentIds ids = new RecentIds(BUCKET, Long.MIN_VALUE, 50_000);
        List<Long> remembered = new ArrayList<>();
        for (int i = 0; i < 120_000; i++) { // more than two filters' capacity: the chain grows
            long id = freshId();
            remembered.add(id);
            ids.remember(BUCKET * 10, id);
        }
        for (long id : remembered) {
            assertTrue(ids.mightHaveSeen(BUCKET * 10, id), "no false negative");
            assertTrue(ids.mightHaveSeen(BUCKET * 11, id), "the bucket before is looked in too");
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (ids.mightHaveSeen(BUCKET * 10, freshId())) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 3_000, "three filters, each tighter than the last: under 3 %, was "
                + falsePositives + " in 100,000");
        assertTrue(falsePositives > 0, "a Bloom filter of this size has some false positives");
    }

    private int falsePositivesIn(RecentIds ids, long bucket, int probes) {
        int falsePositives = 0;
        for (int i = 0; i < probes; i++) {
            if (ids.mightHaveSeen(bucket, freshId())) {
                falsePositives++;
            }
        }
        return falsePositives;
    }

    @Test
    void aSurgeGrowsAShortChainWithBoundedFalsePositivesAndHeapAndTheNextBucketStartsSizedForIt() {
        int minCapacity = 10_000;
        int surge = 1_000_000; // a hundred times the first filter
        RecentIds ids = new RecentIds(BUCKET, Long.MIN_VALUE, minCapacity);
        for (int i = 0; i < surge; i++) {
            ids.remember(BUCKET, freshId());
        }
        int filters = ids.filtersIn(BUCKET);
        assertTrue(filters <= 8, "each filter as big as the chain before it: log2(100) + 1, was " + filters);
        int surgeFalsePositives = falsePositivesIn(ids, BUCKET * 2, 200_000); // looks in bucket 1 only
        assertTrue(surgeFalsePositives < 200_000 * 0.05, "under 5 % over the whole chain, was "
                + surgeFalsePositives + " in 200,000");
        assertTrue(ids.bytes() <= RecentIds.BYTES_PER_ID_BOUND * surge + RecentIds.MIN_FILTER_BYTES,
                ids.bytes() + " bytes for " + surge + " ids");

        long surgeBytes = ids.bytes();
        for (int i = 0; i < surge; i++) { // the same rate in the next bucket
            ids.remember(BUCKET * 2, freshId());
        }
        assertEquals(1, ids.filtersIn(BUCKET * 2), "sized for the bucket before: one filter, one probe per lookup");
        long steadyBytes = ids.bytes() - surgeBytes;
        assertTrue(steadyBytes <= RecentIds.STEADY_BYTES_PER_ID * surge * 1.01, steadyBytes + " bytes for " + surge
                + " ids at a steady rate");
        ids.remember(BUCKET * 3, freshId()); // bucket 1 is forgotten: no lookup from bucket 3 reaches it
        int steadyFalsePositives = falsePositivesIn(ids, BUCKET * 3, 200_000) - falsePositivesIn(ids, BUCKET * 4, 0);
        assertTrue(steadyFalsePositives < 200_000 * 0.015, "one filter at 10 bits per id, 80 % full: under 1.5 %, was "
                + steadyFalsePositives + " in 200,000");
    }

    @Test
    void aFreshTaskKnowsEveryBucketAndForgetsThoseNoLookupReaches() {
        RecentIds ids = new RecentIds(BUCKET, Long.MIN_VALUE, 1_000);
        long early = freshId();
        ids.remember(0, early);
        assertFalse(ids.mightHaveSeen(0, freshId()), "an unknown id in a known bucket is certainly new");
        assertFalse(ids.mightHaveSeen(BUCKET * 5, early), "looked up in its bucket and the one before only");
        ids.remember(BUCKET, freshId());
        assertTrue(ids.mightHaveSeen(BUCKET, early));
        ids.remember(BUCKET * 2, freshId());
        assertEquals(2 * new BloomFilter(1_000, BloomFilter.MIN_BITS_PER_ENTRY).bytes(), ids.bytes(),
                "bucket 0 was dropped, buckets 1 and 2 hold one smallest filter each");
        assertFalse(ids.mightHaveSeen(BUCKET, early), "bucket 0 is forgotten once bucket 2 begins");
    }

    @Test
    void bucketsTheStoreMayHaveBeenWrittenInBeforeTheStartAreAlwaysLookedUp() {
        long lastBeforeStart = BUCKET * 7;
        RecentIds ids = new RecentIds(BUCKET, lastBeforeStart, 1_000);
        assertTrue(ids.mightHaveSeen(lastBeforeStart, freshId()), "the last bucket written before the start");
        assertTrue(ids.mightHaveSeen(BUCKET * 3, freshId()), "an older one");
        assertTrue(ids.mightHaveSeen(BUCKET * 8, freshId()), "the next bucket looks in the incomplete one before it");
        assertFalse(ids.mightHaveSeen(BUCKET * 9, freshId()), "two buckets on, only complete buckets are looked in");
    }
}

package io.mcpslo.engine.dedup;

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
        assertTrue(falsePositives < 3 * 3_000, "three filters at ~1 % each, was " + falsePositives + " in 100,000");
        assertTrue(falsePositives > 0, "a Bloom filter of this size has some false positives");
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
        assertTrue(ids.bytes() <= 2 * 1_000 * BloomFilter.BITS_PER_ENTRY / 8 + 16, "bucket 0 was dropped: "
                + ids.bytes());
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

package io.mcpslo.engine.dedup;

/**
 * A set of 64-bit hashes that answers "certainly not added" or "maybe added": no false negatives, and a false
 * positive rate set by its bits per entry while it holds no more than its capacity (10 bits: about 1 %; each bit
 * more about 0.6 times that). Blocked: all the probes of a hash fall in one 512-bit block, one cache line, found by
 * a multiplication, where probes spread over the whole filter cost a cache miss and a division each.
 */
final class BloomFilter {

    static final int MIN_BITS_PER_ENTRY = 10;
    private static final int BLOCK_BITS = 512;
    private static final int WORDS_PER_BLOCK = BLOCK_BITS / 64;

    private final long[] words;
    private final long blocks;
    private final int probes;
    private final int capacity;
    private int size;

    BloomFilter(int capacity, int bitsPerEntry) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        if (bitsPerEntry < 1 || bitsPerEntry > 64) {
            throw new IllegalArgumentException("bitsPerEntry must be within [1, 64], was " + bitsPerEntry);
        }
        this.capacity = capacity;
        this.blocks = Math.max(1, ((long) capacity * bitsPerEntry + BLOCK_BITS - 1) / BLOCK_BITS);
        this.words = new long[Math.toIntExact(blocks * WORDS_PER_BLOCK)];
        // k = bits · ln 2 minimises the false positives of a filter at capacity
        this.probes = Math.max(1, (int) Math.round(bitsPerEntry * Math.log(2)));
    }

    void add(long hash) {
        int block = firstWordOfBlock(hash);
        long h2 = mix(hash);
        int step = (int) (h2 >>> 32) | 1;
        int position = (int) (h2 >>> 16); // not bit 0, which mix() sets
        for (int i = 0; i < probes; i++, position += step) {
            int bit = position & (BLOCK_BITS - 1);
            words[block + (bit >>> 6)] |= 1L << bit;
        }
        size++;
    }

    boolean mightContain(long hash) {
        int block = firstWordOfBlock(hash);
        long h2 = mix(hash);
        int step = (int) (h2 >>> 32) | 1;
        int position = (int) (h2 >>> 16);
        for (int i = 0; i < probes; i++, position += step) {
            int bit = position & (BLOCK_BITS - 1);
            if ((words[block + (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    private int firstWordOfBlock(long hash) {
        return (int) Math.unsignedMultiplyHigh(hash, blocks) * WORDS_PER_BLOCK;
    }

    boolean isFull() {
        return size >= capacity;
    }

    long bytes() {
        return words.length * 8L;
    }

    /** A second hash from the first (Murmur3's finaliser), odd so that the probes cycle through every bit. */
    static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h | 1;
    }
}

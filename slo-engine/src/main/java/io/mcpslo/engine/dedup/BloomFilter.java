package io.mcpslo.engine.dedup;

/**
 * A set of 64-bit hashes that answers "certainly not added" or "maybe added": no false negatives, and about 1 %
 * false positives while it holds no more than its capacity (10 bits and 7 probes per hash).
 */
final class BloomFilter {

    static final int BITS_PER_ENTRY = 10;
    private static final int PROBES = 7;

    private final long[] words;
    private final long bitCount;
    private final int capacity;
    private int size;

    BloomFilter(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.words = new long[(int) Math.max(1, ((long) capacity * BITS_PER_ENTRY + 63) / 64)];
        this.bitCount = words.length * 64L;
    }

    void add(long hash) {
        long h1 = hash;
        long h2 = mix(hash);
        for (int i = 0; i < PROBES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bitCount);
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
        size++;
    }

    boolean mightContain(long hash) {
        long h1 = hash;
        long h2 = mix(hash);
        for (int i = 0; i < PROBES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bitCount);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
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

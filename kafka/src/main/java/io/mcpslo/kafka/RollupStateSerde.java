package io.mcpslo.kafka;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A compact binary form of {@link CallRollup} for the rollup state stores and the rollup topic. Layout (version
 * 1): strings as length-prefixed UTF-8, then window start, five outcome counts, latency sum and max, zero count,
 * and the sketch bins as (index, count) pairs.
 */
public final class RollupStateSerde {

    private static final byte VERSION = 1;

    private RollupStateSerde() {
    }

    public static Serde<CallRollup> serde() {
        return Serdes.serdeFrom((topic, rollup) -> rollup == null ? null : encode(rollup),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    /**
     * {@code mcp.rollups.1m.v1}'s values: the binary form, which the stream writes and the sink reads without a
     * JSON tree either side; values written as JSON by earlier versions (they start with '{') are still read.
     */
    public static Serde<CallRollup> topicSerde() {
        return Serdes.serdeFrom((topic, rollup) -> rollup == null ? null : encode(rollup),
                (topic, bytes) -> bytes == null ? null
                        : bytes.length > 0 && bytes[0] == '{' ? JsonSerdes.decodeRollup(bytes) : decode(bytes));
    }

    /**
     * The last rollup encoded on this thread, with its bytes. An emitted window goes to the rollup topic and to the
     * SLO partitions that count it one after the other, the same object each time: it is encoded once for all.
     */
    private record Encoded(CallRollup rollup, byte[] bytes) {
    }

    private static final ThreadLocal<Encoded> LAST_ENCODED = new ThreadLocal<>();

    static byte[] encode(CallRollup rollup) {
        Encoded last = LAST_ENCODED.get();
        if (last != null && last.rollup() == rollup) {
            return last.bytes();
        }
        byte[] bytes = encodeAnew(rollup);
        LAST_ENCODED.set(new Encoded(rollup, bytes));
        return bytes;
    }

    private static byte[] encodeAnew(CallRollup rollup) {
        RollupKey key = rollup.key();
        byte[] server = key.server().getBytes(StandardCharsets.UTF_8);
        byte[] tool = key.tool().getBytes(StandardCharsets.UTF_8);
        byte[] version = key.serverVersion().getBytes(StandardCharsets.UTF_8);
        SketchBins bins = rollup.latency();
        ByteBuffer out = ByteBuffer.allocate(1 + 12 + server.length + tool.length + version.length
                + 8 + COUNTS_BYTES + 2 * 8 + binsBytes(bins));
        out.put(VERSION);
        out.putInt(server.length).put(server).putInt(tool.length).put(tool).putInt(version.length).put(version);
        out.putLong(key.windowStart().toEpochMilli());
        putCounts(out, rollup.counts());
        out.putDouble(rollup.latencySumMs()).putDouble(rollup.latencyMaxMs());
        putBins(out, bins);
        return out.array();
    }

    static CallRollup decode(byte[] bytes) {
        try {
            ByteBuffer in = versioned(bytes);
            String server = string(in);
            String tool = string(in);
            String version = string(in);
            var key = new RollupKey(server, tool, version, Instant.ofEpochMilli(in.getLong()));
            OutcomeCounts counts = counts(in);
            double sum = in.getDouble();
            double max = in.getDouble();
            return new CallRollup(key, counts, sum, max, bins(in));
        } catch (RuntimeException e) {
            throw new SerializationException("not a valid rollup state record", e);
        }
    }

    /** The outcome counts and bins of an SLO's minute, in the same layout without key, sum and max. */
    public static Serde<RollupAggregate> aggregateSerde() {
        return Serdes.serdeFrom((topic, aggregate) -> aggregate == null ? null : encodeAggregate(aggregate),
                (topic, bytes) -> bytes == null ? null : decodeAggregate(bytes));
    }

    static byte[] encodeAggregate(RollupAggregate aggregate) {
        ByteBuffer out = ByteBuffer.allocate(1 + COUNTS_BYTES + binsBytes(aggregate.latency()));
        out.put(VERSION);
        putCounts(out, aggregate.counts());
        putBins(out, aggregate.latency());
        return out.array();
    }

    static RollupAggregate decodeAggregate(byte[] bytes) {
        try {
            ByteBuffer in = versioned(bytes);
            return new RollupAggregate(counts(in), bins(in));
        } catch (RuntimeException e) {
            throw new SerializationException("not a valid aggregate state record", e);
        }
    }

    private static final int COUNTS_BYTES = 5 * 8;

    private static ByteBuffer versioned(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != VERSION) {
            throw new SerializationException("unknown state record version");
        }
        return in;
    }

    private static void putCounts(ByteBuffer out, OutcomeCounts counts) {
        out.putLong(counts.ok()).putLong(counts.toolError()).putLong(counts.transportError())
                .putLong(counts.denied()).putLong(counts.rateLimited());
    }

    private static OutcomeCounts counts(ByteBuffer in) {
        return new OutcomeCounts(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
    }

    private static int binsBytes(SketchBins bins) {
        return 8 + 4 + bins.size() * 12;
    }

    private static void putBins(ByteBuffer out, SketchBins bins) {
        out.putLong(bins.zeroCount()).putInt(bins.size());
        for (int i = 0; i < bins.size(); i++) {
            out.putInt(bins.indexAt(i)).putLong(bins.countAt(i));
        }
    }

    private static SketchBins bins(ByteBuffer in) {
        long zeroCount = in.getLong();
        int size = in.getInt();
        if (size < 0 || (long) size * 12 != in.remaining()) {
            throw new IllegalArgumentException(size + " sketch bins in " + in.remaining() + " bytes");
        }
        int[] indexes = new int[size];
        long[] binCounts = new long[size];
        for (int i = 0; i < size; i++) {
            indexes[i] = in.getInt();
            binCounts[i] = in.getLong();
        }
        return new SketchBins(indexes, binCounts, zeroCount);
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes in " + in.remaining());
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

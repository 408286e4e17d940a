package io.mcpslo.clickhouse;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An answer in ClickHouse's RowBinary format, read column by column in the order the SELECT names them: the
 * counterpart of {@link RowBinaryWriter}. Sketch-bearing answers are read this way because 18.16 spends more on
 * formatting arrays as JSON than on computing them, and Jackson more again on parsing them. A read past the end, or
 * a length that cannot be, fails with {@link IllegalStateException} naming what was read.
 */
public final class RowBinaryReader {

    private final ByteBuffer bytes;

    public RowBinaryReader(byte[] answer) {
        this.bytes = ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** True while a further row remains. */
    public boolean hasMore() {
        return bytes.hasRemaining();
    }

    /** UInt32 (and DateTime: seconds since the epoch). */
    public long uint32() {
        return Integer.toUnsignedLong(read("UInt32", 4).getInt());
    }

    /** UInt64 within Java's long (counts: 2^63 calls are not going to happen). */
    public long uint64() {
        long value = read("UInt64", 8).getLong();
        if (value < 0) {
            throw new IllegalStateException("a UInt64 above 2^63 - 1 at byte " + (bytes.position() - 8));
        }
        return value;
    }

    public int int32() {
        return read("Int32", 4).getInt();
    }

    public double float64() {
        return read("Float64", 8).getDouble();
    }

    public String string() {
        int length = length("String");
        byte[] utf8 = new byte[length];
        read("String", length).get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    public int[] int32Array() {
        int[] values = new int[length("Array(Int32)")];
        read("Array(Int32)", values.length * 4L);
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getInt();
        }
        return values;
    }

    public long[] uint64Array() {
        long[] values = new long[length("Array(UInt64)")];
        read("Array(UInt64)", values.length * 8L);
        for (int i = 0; i < values.length; i++) {
            values[i] = uint64();
        }
        return values;
    }

    /** An array's or string's element count: an unsigned LEB128 varint, no larger than what is left to read. */
    private int length(String type) {
        long length = 0;
        int shift = 0;
        byte next;
        do {
            if (shift > 28) {
                throw new IllegalStateException("the length of a " + type + " at byte " + bytes.position()
                        + " does not fit an int");
            }
            next = read(type + " length", 1).get();
            length |= (long) (next & 0x7F) << shift;
            shift += 7;
        } while ((next & 0x80) != 0);
        if (length > bytes.remaining()) {
            throw new IllegalStateException("a " + type + " of " + length + " elements at byte " + bytes.position()
                    + ", with " + bytes.remaining() + " bytes left");
        }
        return (int) length;
    }

    /** The buffer, after checking that {@code count} more bytes are there. */
    private ByteBuffer read(String type, long count) {
        if (count > bytes.remaining()) {
            throw new IllegalStateException("the answer ends inside a " + type + " at byte " + bytes.position()
                    + " (" + bytes.remaining() + " of " + count + " bytes left)",
                    new BufferUnderflowException());
        }
        return bytes;
    }
}

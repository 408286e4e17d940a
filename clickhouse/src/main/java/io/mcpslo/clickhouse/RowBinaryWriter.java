package io.mcpslo.clickhouse;

import io.mcpslo.common.text.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * Rows in ClickHouse's RowBinary format, the cheapest for both sides to write and read (no text to format or
 * parse): each row is its columns' values one after another, in the order the INSERT names them, little-endian.
 * 18.16 reads it as today's releases do. A value out of its column's range is refused here with
 * IllegalArgumentException rather than wrapped around by ClickHouse.
 */
public final class RowBinaryWriter {

    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private byte[] bytes;
    private int size;

    public RowBinaryWriter(int expectedBytes) {
        this.bytes = new byte[Math.max(64, expectedBytes)];
    }

    /**
     * String: its UTF-8 bytes after their count as an unsigned LEB128 varint. A lone surrogate has no UTF-8 form:
     * it is refused (as ClickHouse refuses it in JSON), never replaced by '?'.
     */
    public RowBinaryWriter string(String value) {
        // getBytes is one intrinsic copy for the usual ASCII text, against two passes char by char; it turns a
        // lone surrogate into '?', so only a string whose bytes hold a '?' is searched for one
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (contains(utf8, (byte) '?')) {
            int at = Utf8.firstLoneSurrogate(value);
            if (at >= 0) {
                throw new IllegalArgumentException("a string holds a lone surrogate (U+"
                        + Integer.toHexString(value.charAt(at)).toUpperCase(Locale.ROOT) + ") at char " + at
                        + ", which has no UTF-8 form");
            }
        }
        varint(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    private static boolean contains(byte[] values, byte wanted) {
        for (byte value : values) {
            if (value == wanted) {
                return true;
            }
        }
        return false;
    }

    /** Array(T): the number of elements as an unsigned LEB128 varint; the caller then writes each element. */
    public RowBinaryWriter arraySize(int elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("an array cannot have " + elements + " elements");
        }
        varint(elements);
        return this;
    }

    /** UUID: the most significant 64 bits, then the least significant, each as a little-endian UInt64. */
    public RowBinaryWriter uuid(UUID value) {
        return uint64(value.getMostSignificantBits()).uint64(value.getLeastSignificantBits());
    }

    /** DateTime: seconds since the epoch as UInt32. */
    public RowBinaryWriter dateTime(long epochSeconds) {
        if (epochSeconds < 0 || epochSeconds > UINT32_MAX) {
            throw new IllegalArgumentException("DateTime out of range (1970 to 2106): " + epochSeconds + " s");
        }
        return littleEndian(epochSeconds, 4);
    }

    /** Enum8 (its value's number) or Int8. */
    public RowBinaryWriter int8(int value) {
        if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("Int8 out of range: " + value);
        }
        return littleEndian(value, 1);
    }

    public RowBinaryWriter uint16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("UInt16 out of range: " + value);
        }
        return littleEndian(value, 2);
    }

    public RowBinaryWriter int32(int value) {
        return littleEndian(value, 4);
    }

    /** UInt64 from a non-negative long (or any 64 bits, for the halves of a UUID). */
    public RowBinaryWriter uint64(long value) {
        return littleEndian(value, 8);
    }

    public RowBinaryWriter float64(double value) {
        return littleEndian(Double.doubleToRawLongBits(value), 8);
    }

    /** Nullable(Int32): a null marker byte (1 for NULL), then the value when there is one. */
    public RowBinaryWriter nullableInt32(Integer value) {
        return value == null ? littleEndian(1, 1) : littleEndian(0, 1).int32(value);
    }

    /** Nullable(UInt64) from a non-negative Long. */
    public RowBinaryWriter nullableUInt64(Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException("UInt64 cannot hold a negative value: " + value);
        }
        return value == null ? littleEndian(1, 1) : littleEndian(0, 1).uint64(value);
    }

    public int size() {
        return size;
    }

    /** The rows written so far are its first {@link #size()} bytes; handed to the HTTP body without a copy. */
    byte[] buffer() {
        return bytes;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void varint(int value) {
        ensure(5);
        int rest = value;
        while ((rest & ~0x7F) != 0) {
            bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[size++] = (byte) rest;
    }

    private RowBinaryWriter littleEndian(long value, int width) {
        ensure(width);
        for (int i = 0; i < width; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}

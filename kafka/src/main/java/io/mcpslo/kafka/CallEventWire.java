package io.mcpslo.kafka;

import io.mcpslo.common.text.Utf8;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The values of {@code mcp.calls.v1}: a validated call in a compact binary form. Every call is encoded once (by the
 * collector, or by the stream's validation for events written to Kafka directly) and decoded twice (rollup, sink;
 * the rollup only what it counts by, {@link #decodeCounted}), and JSON was most of the cost of both. Values written
 * as JSON by earlier versions (they start with '{') are still read, so a topic holding both decodes whole across an
 * upgrade.
 *
 * <p>Layout, version 1: the version byte; the event id (two longs); ts as epoch second (long) and nano (int); the
 * envelope's eleven strings in record order; duration (double); outcome (byte); error code, error type, retry and
 * response bytes, each nullable. Numbers are big-endian. A string is a varint header {@code length << 2 | form}
 * then its bytes: form 0 is null, 1 is UTF-8, 2 is UTF-16 chars, used for a string holding a lone surrogate (which
 * has no UTF-8 form), so every accepted string crosses the topic exactly as it was accepted.
 */
public final class CallEventWire {

    static final byte VERSION = 1;
    private static final byte JSON_START = '{';
    private static final int NULL = 0;
    private static final int UTF8 = 1;
    private static final int UTF16 = 2;
    /** Outcome codes on the wire, by position: fixed here, never taken from the enum's order. */
    private static final Outcome[] OUTCOMES = {Outcome.OK, Outcome.TOOL_ERROR, Outcome.TRANSPORT_ERROR, Outcome.DENIED,
        Outcome.RATE_LIMITED};

    /** Each thread encodes into its own buffer, so a call costs one array, of its exact size; an event with
     * huge strings grows the buffer for itself only. */
    private static final int WRITER_BYTES = 1024;
    private static final int KEPT_WRITER_BYTES = 64 * 1024;
    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(() -> new Writer(WRITER_BYTES));

    private CallEventWire() {
    }

    public static Serde<CallEvent> serde() {
        return serdeReading(CallEventWire::decode);
    }

    /** {@link #serde()} for the rollups, whose calls are read with {@link #decodeCounted}. */
    public static Serde<CallEvent> countedSerde() {
        return serdeReading(CallEventWire::decodeCounted);
    }

    private static Serde<CallEvent> serdeReading(Function<byte[], CallEvent> decoder) {
        return Serdes.serdeFrom((topic, call) -> call == null ? null : encode(call),
                (topic, bytes) -> bytes == null ? null : decoder.apply(bytes));
    }

    public static byte[] encode(CallEvent call) {
        EventEnvelope envelope = call.envelope();
        Writer out = WRITERS.get();
        out.size = 0;
        try {
            out.bytes[out.size++] = VERSION;
            out.putLong(envelope.eventId().getMostSignificantBits());
            out.putLong(envelope.eventId().getLeastSignificantBits());
            out.putLong(envelope.ts().getEpochSecond());
            out.putInt(envelope.ts().getNano());
            out.string(envelope.source());
            out.string(envelope.server());
            out.string(envelope.serverVersion());
            out.string(envelope.tool());
            out.string(envelope.method());
            out.string(envelope.protocolVersion());
            out.string(envelope.sessionId());
            out.string(envelope.user());
            out.string(envelope.team());
            out.string(envelope.traceId());
            out.string(envelope.spanId());
            out.putLong(Double.doubleToRawLongBits(call.durationMs()));
            out.ensure(1);
            out.bytes[out.size++] = outcomeCode(call.outcome());
            out.nullableInt(call.errorCode());
            out.string(call.errorType());
            out.nullableInt(call.retry());
            if (call.responseBytes() == null) {
                out.ensure(1);
                out.bytes[out.size++] = 0;
            } else {
                out.ensure(1);
                out.bytes[out.size++] = 1;
                out.putLong(call.responseBytes());
            }
            return Arrays.copyOf(out.bytes, out.size);
        } finally {
            if (out.bytes.length > KEPT_WRITER_BYTES) {
                out.bytes = new byte[WRITER_BYTES];
            }
        }
    }

    private static byte outcomeCode(Outcome outcome) {
        return switch (outcome) {
            case OK -> 0;
            case TOOL_ERROR -> 1;
            case TRANSPORT_ERROR -> 2;
            case DENIED -> 3;
            case RATE_LIMITED -> 4;
        };
    }

    public static CallEvent decode(byte[] bytes) {
        return decode(bytes, false);
    }

    /**
     * The call with only what a rollup counts it by: id, time, source, server, version, tool, method, duration and
     * outcome. The rest (protocol version, session, user, team, trace, span, error details, retry, response size),
     * which no rollup reads, is checked for shape and skipped, and left null: most of a call's bytes are those
     * identities, and decoding them was most of the rollup's reading. A damaged value is refused as by
     * {@link #decode}.
     */
    public static CallEvent decodeCounted(byte[] bytes) {
        return decode(bytes, true);
    }

    private static CallEvent decode(byte[] bytes, boolean countedOnly) {
        if (bytes.length > 0 && bytes[0] == JSON_START) {
            return JsonSerdes.decodeCall(bytes);
        }
        if (bytes.length == 0 || bytes[0] != VERSION) {
            throw new SerializationException("not a call on mcp.calls.v1: " + (bytes.length == 0 ? "empty value"
                    : "unknown format version " + bytes[0] + " (this build reads version " + VERSION + " and JSON)"));
        }
        try {
            Reader in = new Reader(bytes);
            UUID eventId = new UUID(in.getLong(), in.getLong());
            Instant ts = Instant.ofEpochSecond(in.getLong(), in.getInt());
            boolean detail = !countedOnly;
            var envelope = new EventEnvelope(eventId, ts, in.string(), in.string(), in.string(), in.string(),
                    in.string(), in.string(detail), in.string(detail), in.string(detail), in.string(detail),
                    in.string(detail), in.string(detail));
            double durationMs = Double.longBitsToDouble(in.getLong());
            int outcome = in.getByte();
            if (outcome < 0 || outcome >= OUTCOMES.length) {
                throw new IllegalArgumentException("unknown outcome code " + outcome);
            }
            Integer errorCode = in.nullableInt(detail);
            String errorType = in.string(detail);
            Integer retry = in.nullableInt(detail);
            Long responseBytes = in.getByte() == 0 ? null : in.getLong(detail);
            if (in.position != bytes.length) {
                throw new IllegalArgumentException((bytes.length - in.position) + " bytes after the call");
            }
            return new CallEvent(envelope, durationMs, OUTCOMES[outcome], errorCode, errorType, retry, responseBytes);
        } catch (RuntimeException e) {
            throw new SerializationException("not a valid call on mcp.calls.v1 (binary version " + VERSION + "): "
                    + e.getMessage(), e);
        }
    }

    private static final class Writer {
        private byte[] bytes;
        private int size;

        Writer(int capacity) {
            bytes = new byte[capacity];
        }

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void putLong(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void putInt(int value) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void varint(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        void nullableInt(Integer value) {
            ensure(1);
            if (value == null) {
                bytes[size++] = 0;
            } else {
                bytes[size++] = 1;
                putInt(value);
            }
        }

        void string(String value) {
            if (value == null) {
                varint(NULL);
                return;
            }
            int length = value.length();
            int utf8Length = Utf8.length(value);
            if (utf8Length == Utf8.LONE_SURROGATE) {
                varint(((long) length * 2 << 2) | UTF16);
                ensure(length * 2);
                for (int i = 0; i < length; i++) {
                    char c = value.charAt(i);
                    bytes[size++] = (byte) (c >>> 8);
                    bytes[size++] = (byte) c;
                }
                return;
            }
            varint(((long) utf8Length << 2) | UTF8);
            ensure(utf8Length);
            size = Utf8.write(value, utf8Length, bytes, size);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int position = 1;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(int count) {
            if (count < 0 || position + count > bytes.length) {
                throw new IllegalArgumentException("truncated at byte " + position + " of " + bytes.length);
            }
        }

        int getByte() {
            need(1);
            return bytes[position++];
        }

        long getLong() {
            need(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        int getInt() {
            need(4);
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        Integer nullableInt() {
            return nullableInt(true);
        }

        /** The value, or past it and null when not {@code kept}. */
        Integer nullableInt(boolean kept) {
            if (getByte() == 0) {
                return null;
            }
            if (kept) {
                return getInt();
            }
            need(4);
            position += 4;
            return null;
        }

        Long getLong(boolean kept) {
            if (kept) {
                return getLong();
            }
            need(8);
            position += 8;
            return null;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = getByte();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a string length longer than 10 bytes at byte " + position);
        }

        String string() {
            return string(true);
        }

        /** The string, or past it and null when not {@code kept}; its header and length are checked either way. */
        String string(boolean kept) {
            long header = varint();
            int form = (int) (header & 3);
            long length = header >>> 2;
            if (form == NULL && length == 0) {
                return null;
            }
            if (length > bytes.length - position) {
                throw new IllegalArgumentException("a string of " + length + " bytes at byte " + position + " of "
                        + bytes.length);
            }
            int count = (int) length;
            String value;
            if (!kept && (form == UTF8 || form == UTF16 && count % 2 == 0)) {
                value = null;
            } else if (form == UTF8) {
                value = new String(bytes, position, count, StandardCharsets.UTF_8);
            } else if (form == UTF16 && count % 2 == 0) {
                char[] chars = new char[count / 2];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) (((bytes[position + 2 * i] & 0xFF) << 8) | (bytes[position + 2 * i + 1] & 0xFF));
                }
                value = new String(chars);
            } else {
                throw new IllegalArgumentException("a string header " + header + " at byte " + position);
            }
            position += count;
            return value;
        }
    }
}

package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CallEventWireTest {

    private static CallEvent call(String tool, Outcome outcome, Integer errorCode, String errorType, Integer retry,
                                  Long responseBytes) {
        var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-30T10:15:30.123456789Z"), "gw",
                "github", "1.2", tool, "tools/call", "2025-11-25", "s1", "alice", "devtools", "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7");
        return new CallEvent(envelope, 12.5, outcome, errorCode, errorType, retry, responseBytes);
    }

    private static CallEvent roundTrip(CallEvent call) {
        var serde = CallEventWire.serde();
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", call));
    }

    @Test
    void everyFieldCrossesTheTopicUnchanged() {
        for (Outcome outcome : Outcome.values()) {
            CallEvent call = call("search_code", outcome, -32603, "timeout", 2, 4_096L);
            assertEquals(call, roundTrip(call), outcome.toString());
        }
        CallEvent bare = new CallEvent(new EventEnvelope(UUID.randomUUID(), Instant.ofEpochSecond(-5, 7), "gw", "s",
                null, null, null, null, null, null, null, null, null), 0, Outcome.OK, null, null, null, null);
        assertEquals(bare, roundTrip(bare), "nulls stay null, not empty");
        CallEvent empty = new CallEvent(new EventEnvelope(UUID.randomUUID(), Instant.EPOCH, "", "", "", "", "", "", "",
                "", "", "", ""), Double.MAX_VALUE, Outcome.DENIED, Integer.MIN_VALUE, "", Integer.MAX_VALUE,
                Long.MAX_VALUE);
        assertEquals(empty, roundTrip(empty), "empty strings stay empty, not null; extremes survive");
    }

    @Test
    void anEncodingIsTheSameBeforeAndAfterAHugeOneOnTheSameThread() {
        CallEvent small = call("search_code", Outcome.OK, null, null, null, null);
        byte[] first = CallEventWire.encode(small);
        CallEvent huge = call("h".repeat(200_000), Outcome.OK, null, null, null, null);
        assertEquals(huge, CallEventWire.decode(CallEventWire.encode(huge)));
        byte[] again = CallEventWire.encode(small);
        assertTrue(Arrays.equals(first, again), "the same call, the same bytes: " + first.length + " vs "
                + again.length);
        assertEquals(small, CallEventWire.decode(again));
    }

    @Test
    void anyTextCrossesExactlyEvenWhereUtf8CannotCarryIt() {
        for (String tool : new String[] {"é", "日本語のツール", "emoji 😀 pair", "x\ud800", "\udc00 lone low", "\ud800\ud800",
                "nul\u0000inside", "m".repeat(500_000)}) {
            CallEvent call = call(tool, Outcome.TOOL_ERROR, null, null, null, null);
            assertEquals(tool, roundTrip(call).envelope().tool());
        }
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            String text = new String(chars);
            CallEvent call = call(text, Outcome.OK, null, text, null, null);
            assertEquals(call, roundTrip(call), () -> "chars " + Arrays.toString(chars));
        }
    }

    @Test
    void rollupsReadWhatTheyCountByAndSkipTheRest() {
        for (String detail : new String[] {"s1", "lone \ud800 surrogate", "日本語", ""}) {
            var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-30T10:15:30.123Z"), "gw",
                    "github", "1.2", "search_code", "tools/call", detail, detail, detail, detail, detail, detail);
            CallEvent call = new CallEvent(envelope, 12.5, Outcome.TOOL_ERROR, -32603, detail, 2, 4_096L);
            CallEvent counted = CallEventWire.decodeCounted(CallEventWire.encode(call));
            CallEvent expected = new CallEvent(new EventEnvelope(envelope.eventId(), envelope.ts(), "gw", "github",
                    "1.2", "search_code", "tools/call", null, null, null, null, null, null), 12.5, Outcome.TOOL_ERROR,
                    null, null, null, null);
            assertEquals(expected, counted, detail);
        }
        CallEvent noTool = new CallEvent(new EventEnvelope(UUID.randomUUID(), Instant.EPOCH, "gw", "s", null, null,
                "tools/list", null, null, null, null, null, null), 0, Outcome.OK, null, null, null, null);
        assertEquals(noTool, CallEventWire.decodeCounted(CallEventWire.encode(noTool)));
        CallEvent json = call("search_code", Outcome.TRANSPORT_ERROR, 503, "http", 1, null);
        assertEquals(json, CallEventWire.decodeCounted(EventCodec.encodeBytes(json)), "JSON values decode whole");
    }

    @Test
    void aDamagedValueIsRefusedOrReadAlikeByTheRollupAndTheSink() {
        Random random = new Random(11);
        byte[] good = CallEventWire.encode(new CallEvent(new EventEnvelope(UUID.randomUUID(), Instant.EPOCH, "gw",
                "github", "1.2", "search", "tools/call", "2025-11-25", "s1", "alice", "x\ud800", "t", "sp"), 3.5,
                Outcome.TOOL_ERROR, -1, "timeout", 2, 9L));
        int refused = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] damaged = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[1 + random.nextInt(damaged.length - 1)] = (byte) random.nextInt(256);
            }
            CallEvent whole = null;
            CallEvent counted = null;
            try {
                whole = CallEventWire.decode(damaged);
            } catch (SerializationException e) {
                refused++;
            }
            try {
                counted = CallEventWire.decodeCounted(damaged);
            } catch (SerializationException e) {
                assertEquals(null, whole, () -> "only the rollup refused " + Arrays.toString(damaged));
                continue;
            }
            assertTrue(whole != null, () -> "only the sink refused " + Arrays.toString(damaged));
            EventEnvelope e = whole.envelope();
            CallEvent expected = new CallEvent(new EventEnvelope(e.eventId(), e.ts(), e.source(), e.server(),
                    e.serverVersion(), e.tool(), e.method(), null, null, null, null, null, null), whole.durationMs(),
                    whole.outcome(), null, null, null, null);
            assertEquals(expected, counted);
        }
        assertTrue(refused > 1_000 && refused < 19_000, "damage both refused and read: " + refused);
    }

    @Test
    void callsWrittenAsJsonByEarlierVersionsAreStillRead() {
        CallEvent call = call("search_code", Outcome.TRANSPORT_ERROR, 503, "http", 1, null);
        assertEquals(call, CallEventWire.decode(EventCodec.encodeBytes(call)));
    }

    @Test
    void theBinaryFormIsSmallerThanTheJson() {
        CallEvent call = call("search_code", Outcome.OK, null, null, null, 1_234L);
        int binary = CallEventWire.encode(call).length;
        int json = EventCodec.encodeBytes(call).length;
        assertTrue(binary < json * 0.7, binary + " bytes binary vs " + json + " JSON");
    }

    @Test
    void aDamagedOrForeignValueIsASerializationErrorSayingWhy() {
        byte[] good = CallEventWire.encode(call("search_code", Outcome.OK, null, "t", 1, 2L));
        var error = assertThrows(SerializationException.class, () -> CallEventWire.decode(new byte[0]));
        assertTrue(error.getMessage().contains("empty"), error.getMessage());
        byte[] future = good.clone();
        future[0] = 9;
        error = assertThrows(SerializationException.class, () -> CallEventWire.decode(future));
        assertTrue(error.getMessage().contains("version 9"), error.getMessage());
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(SerializationException.class, () -> CallEventWire.decode(truncated), "cut at " + cut);
            assertThrows(SerializationException.class, () -> CallEventWire.decodeCounted(truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        error = assertThrows(SerializationException.class, () -> CallEventWire.decode(trailing));
        assertTrue(error.getMessage().contains("after the call"), error.getMessage());
        error = assertThrows(SerializationException.class, () -> CallEventWire.decodeCounted(trailing));
        assertTrue(error.getMessage().contains("after the call"), error.getMessage());
        byte[] hugeLength = good.clone();
        hugeLength[29] = (byte) 0xFF; // the first string's header: a length far beyond the value
        hugeLength[30] = (byte) 0xFF;
        assertThrows(SerializationException.class, () -> CallEventWire.decode(hugeLength));
        assertThrows(SerializationException.class, () -> CallEventWire.decodeCounted(hugeLength));
        byte[] badSkippedHeader = CallEventWire.encode(call("t", Outcome.OK, null, null, null, null));
        // past id and time, the header and bytes of "gw", "github", "1.2", "t" and "tools/call"
        int protocolHeader = 29 + 3 + 7 + 4 + 2 + 11;
        assertEquals((byte) ("2025-11-25".length() << 2 | 1), badSkippedHeader[protocolHeader]);
        badSkippedHeader[protocolHeader] = (byte) (3 << 2 | 3); // no such form
        error = assertThrows(SerializationException.class, () -> CallEventWire.decodeCounted(badSkippedHeader));
        assertTrue(error.getMessage().contains("string header"), error.getMessage());
        assertThrows(SerializationException.class, () -> CallEventWire.decode("{\"not\": \"a call\"".getBytes()));
    }
}

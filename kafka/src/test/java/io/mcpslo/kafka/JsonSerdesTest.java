package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdesTest {

    private static CallEvent call(double durationMs, Outcome outcome) {
        var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2020-01-01T00:00:01.250Z"), "gw", "github",
                "1.2", "search_code_v1", "tools/call", "2025-11-25", "s1", "alice", "devtools", null, null);
        return new CallEvent(envelope, durationMs, outcome, -32603, "timeout", 1, 42L);
    }

    @Test
    void callEventsRoundTripEvenWhenOld() {
        CallEvent call = call(12.5, Outcome.TRANSPORT_ERROR);
        var serde = JsonSerdes.callEvents();
        assertEquals(call, serde.deserializer().deserialize("t", serde.serializer().serialize("t", call)));
    }

    @Test
    void rollupsRoundTripWithTheirSketch() {
        CallEvent first = call(0, Outcome.OK);
        CallRollup rollup = CallRollup.empty(CallRollup.keyOf(first)).plus(first).plus(call(250, Outcome.TOOL_ERROR));
        var serde = JsonSerdes.callRollups();
        assertEquals(rollup, serde.deserializer().deserialize("t", serde.serializer().serialize("t", rollup)));
    }

    @Test
    void garbageOnAnInternalTopicIsASerializationError() {
        var calls = JsonSerdes.callEvents().deserializer();
        assertThrows(SerializationException.class, () -> calls.deserialize("t", "{".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SerializationException.class, () -> calls.deserialize("t", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SerializationException.class,
                () -> JsonSerdes.callRollups().deserializer().deserialize("t", "{\"server\":1}".getBytes()));
    }
}

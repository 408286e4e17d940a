package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RollupStateSerdeTest {

    private static CallEvent call(double durationMs, Outcome outcome) {
        var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:00:01.250Z"), "gw", "gïthub",
                "", "search_code_v2", "tools/call", null, null, null, null, null, null);
        return new CallEvent(envelope, durationMs, outcome, null, null, null, null);
    }

    @Test
    void roundTripsEveryField() {
        CallEvent first = call(0, Outcome.OK);
        CallRollup rollup = CallRollup.empty(CallRollup.keyOf(first)).plus(first)
                .plus(call(125.5, Outcome.TOOL_ERROR)).plus(call(30_000, Outcome.TRANSPORT_ERROR))
                .plus(call(3, Outcome.DENIED)).plus(call(4, Outcome.RATE_LIMITED));
        var serde = RollupStateSerde.serde();
        assertEquals(rollup, serde.deserializer().deserialize("s", serde.serializer().serialize("s", rollup)));
    }

    @Test
    void aRollupSentTwiceInARowIsEncodedOnce() {
        CallEvent first = call(7, Outcome.OK);
        CallRollup one = CallRollup.empty(CallRollup.keyOf(first)).plus(first);
        CallRollup grown = one.plus(call(9, Outcome.TOOL_ERROR));
        var topic = Topics.ROLLUPS.valueSerde().serializer();
        var store = RollupStateSerde.serde().serializer();
        byte[] toTopic = topic.serialize("rollups", one);
        assertSame(toTopic, store.serialize("repartition", one), "the same rollup: the bytes of its last encoding");
        assertEquals(grown, RollupStateSerde.decode(store.serialize("repartition", grown)), "not the last bytes");
        assertEquals(one, RollupStateSerde.decode(store.serialize("s", one)), "not the bytes of the one before");
    }

    @Test
    void theRollupTopicCarriesTheBinaryFormAndStillReadsJsonFromEarlierVersions() {
        CallEvent first = call(0, Outcome.OK);
        CallRollup rollup = CallRollup.empty(CallRollup.keyOf(first)).plus(first).plus(call(125.5, Outcome.TOOL_ERROR));
        var topic = Topics.ROLLUPS.valueSerde();
        byte[] written = topic.serializer().serialize(Topics.ROLLUPS.name(), rollup);
        assertEquals(1, written[0], "the version byte of the binary form");
        assertEquals(rollup, topic.deserializer().deserialize(Topics.ROLLUPS.name(), written));
        assertEquals(rollup, topic.deserializer().deserialize(Topics.ROLLUPS.name(), JsonSerdes.encodeRollup(rollup)));
        assertThrows(SerializationException.class,
                () -> topic.deserializer().deserialize(Topics.ROLLUPS.name(), "{\"server\":1}".getBytes()));
        assertThrows(SerializationException.class,
                () -> topic.deserializer().deserialize(Topics.ROLLUPS.name(), new byte[] {7, 0}));
    }

    @Test
    void refusesForeignBytes() {
        var deserializer = RollupStateSerde.serde().deserializer();
        assertThrows(SerializationException.class, () -> deserializer.deserialize("s", new byte[] {9, 1, 2}));
        assertThrows(SerializationException.class, () -> deserializer.deserialize("s", new byte[] {1, 0, 0}));
        // a damaged length must be refused before anything that large is allocated
        assertThrows(SerializationException.class,
                () -> deserializer.deserialize("s", new byte[] {1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'x'}));
        CallEvent first = call(1, Outcome.OK);
        byte[] good = RollupStateSerde.encode(CallRollup.empty(CallRollup.keyOf(first)).plus(first));
        byte[] hugeBins = good.clone();
        int binCount = good.length - 12 - 4; // one bin: its count field sits before the last 12 bytes
        hugeBins[binCount] = 0x7F;
        assertThrows(SerializationException.class, () -> deserializer.deserialize("s", hugeBins));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
        assertThrows(SerializationException.class, () -> deserializer.deserialize("s", trailing));
    }
}

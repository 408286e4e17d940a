package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.Acknowledgement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AckMessagesTest {

    private static final String KEY = "mcp-slo:jira-availability:page:1795600000";
    private static final Acknowledgement ACK = new Acknowledgement(KEY, "sre-sam", "looking – 🔥 \"quoted\"",
            Instant.parse("2026-11-30T12:00:00.123Z"));

    @Test
    void anAcknowledgementComesBackAsItWentOutUnderItsKey() {
        byte[] bytes = Topics.ACKS.valueSerde().serializer().serialize(Topics.ACKS.name(), ACK);
        assertEquals(ACK, Topics.ACKS.valueSerde().deserializer().deserialize(Topics.ACKS.name(), bytes));
        assertEquals(ACK, AckMessages.decode(KEY, bytes));
        byte[] plain = AckMessages.encode(new Acknowledgement(KEY, "sre-sam", "on it", ACK.at()));
        assertEquals("{\"v\":1,\"dedup_key\":\"" + KEY + "\",\"by\":\"sre-sam\",\"comment\":\"on it\","
                + "\"at\":\"2026-11-30T12:00:00.123Z\"}", new String(plain, StandardCharsets.UTF_8), "wire format v1");
    }

    @Test
    void theTopicIsCompactedAndKeyedByDedupKey() {
        assertTrue(Topics.COMPACTED.contains(Topics.ACKS));
        assertTrue(Topics.ALL.contains(Topics.ACKS));
        assertEquals("mcp.acks.v1", Topics.ACKS.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{not json",
        "[1, 2]",
        "\"a string\"",
        "{}",
        "{\"v\": 2, \"dedup_key\": \"k\", \"by\": \"a\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": \"1\", \"dedup_key\": \"k\", \"by\": \"a\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"by\": \"a\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"dedup_key\": 7, \"by\": \"a\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"a\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"a\", \"comment\": \"\", \"at\": \"yesterday\"}",
        "{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"a\", \"comment\": \"\", \"at\": 1795600000}",
        "{\"v\": 1, \"dedup_key\": \"k'; DROP TABLE alert_acks --\", \"by\": \"a\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"a\", \"comment\": \"nul\\u0000\", \"at\": \"2026-11-30T12:00:00Z\"}",
        "{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"a\\ud800\", \"comment\": \"\", \"at\": \"2026-11-30T12:00:00Z\"}"
    })
    void whatIsNotAnAcknowledgementIsRefusedSayingWhy(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        var refused = assertThrows(IllegalArgumentException.class, () -> AckMessages.decode(bytes));
        assertTrue(!refused.getMessage().isBlank());
        assertThrows(SerializationException.class,
                () -> Topics.ACKS.valueSerde().deserializer().deserialize(Topics.ACKS.name(), bytes));
    }

    @Test
    void anOversizedRecordIsRefusedBeforeItIsParsed() {
        String comment = "x".repeat(AckMessages.MAX_BYTES);
        byte[] bytes = ("{\"v\": 1, \"dedup_key\": \"k\", \"by\": \"a\", \"comment\": \"" + comment
                + "\", \"at\": \"2026-11-30T12:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
        var refused = assertThrows(IllegalArgumentException.class, () -> AckMessages.decode(bytes));
        assertTrue(refused.getMessage().contains("bytes"), refused.getMessage());
    }

    @Test
    void aRecordUnderAnotherIncidentsKeyOrWithoutAKeyIsRefused() {
        byte[] bytes = AckMessages.encode(ACK);
        assertThrows(IllegalArgumentException.class, () -> AckMessages.decode("mcp-slo:other:page:1", bytes));
        assertThrows(IllegalArgumentException.class, () -> AckMessages.decode(null, bytes));
        assertThrows(IllegalArgumentException.class, () -> AckMessages.decode(KEY, null));
    }

    @Test
    void theValueRefusesWhatTheStoreOrAPagerWouldNot() {
        Instant at = ACK.at();
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement("", "a", "", at));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement("k".repeat(301), "a", "", at));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement("k k", "a", "", at));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement(KEY, " ", "", at));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement(KEY, "a".repeat(201), "", at));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement(KEY, "a", "c".repeat(1001), at));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement(KEY, "a", "line\nbreak", at));
        assertThrows(NullPointerException.class, () -> new Acknowledgement(KEY, "a", "", null));
        assertEquals("", new Acknowledgement(KEY, "a", null, at).comment(), "no comment is an empty one");
    }
}

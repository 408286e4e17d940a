package io.mcpslo.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The wire format of the acknowledgements topic, version 1: one JSON object per acknowledgement, keyed by dedup
 * key, {@code {"v": 1, "dedup_key", "by", "comment", "at"}} with an RFC 3339 time. A reader refuses any other
 * version rather than guess at it.
 */
public final class AckMessages {

    public static final int VERSION = 1;
    /** Far above any valid record (300 + 200 + 1,000 characters, some escaped): larger is not an acknowledgement. */
    static final int MAX_BYTES = 16 * 1024;

    private AckMessages() {
    }

    public static Serde<Acknowledgement> acknowledgements() {
        return Serdes.serdeFrom(
                (topic, ack) -> ack == null ? null : encode(ack),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return decode(bytes);
                    } catch (IllegalArgumentException e) {
                        throw new SerializationException("not an acknowledgement on " + topic + ": " + e.getMessage(), e);
                    }
                });
    }

    public static byte[] encode(Acknowledgement ack) {
        ObjectNode node = EventCodec.MAPPER.createObjectNode();
        node.put("v", VERSION);
        node.put("dedup_key", ack.dedupKey());
        node.put("by", ack.by());
        node.put("comment", ack.comment());
        node.put("at", ack.at().toString());
        try {
            return EventCodec.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a tree cannot fail", e);
        }
    }

    /** Decodes one record value; throws {@link IllegalArgumentException} naming what is wrong with it. */
    public static Acknowledgement decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(bytes.length + " bytes, more than an acknowledgement can be ("
                    + MAX_BYTES + ")");
        }
        JsonNode node;
        try {
            node = EventCodec.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode version = node.get("v");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw new IllegalArgumentException("unsupported version " + version + "; this reader knows v" + VERSION);
        }
        Instant at;
        try {
            at = Instant.parse(text(node, "at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("at is not an RFC 3339 time");
        }
        return new Acknowledgement(text(node, "dedup_key"), text(node, "by"), text(node, "comment"), at);
    }

    /**
     * Decodes the record {@code value} stored under {@code key}; throws {@link IllegalArgumentException} when it is
     * not an acknowledgement of that key (compaction keeps one record per key, so a mismatch cannot be trusted).
     */
    public static Acknowledgement decode(String key, byte[] value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("an acknowledgement needs a key and a value");
        }
        Acknowledgement ack = decode(value);
        if (!ack.dedupKey().equals(key)) {
            throw new IllegalArgumentException("keyed " + key + " but acknowledges " + ack.dedupKey());
        }
        return ack;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be text");
        }
        return value.asText();
    }
}

package io.mcpslo.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The wire format of the silences topic, version 1: one JSON object per silence revision, keyed by silence id,
 * {@code {"v": 1, "id", "matchers": {name: value}, "starts_at", "ends_at", "created_by", "comment", "revised_at"}}
 * with RFC 3339 times. A reader refuses any other version rather than guess at it.
 */
public final class SilenceMessages {

    public static final int VERSION = 1;

    private SilenceMessages() {
    }

    public static Serde<SilenceRevision> revisions() {
        return Serdes.serdeFrom(
                (topic, revision) -> revision == null ? null : encode(revision),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return decode(bytes);
                    } catch (IllegalArgumentException e) {
                        throw new SerializationException("not a silence revision on " + topic + ": " + e.getMessage(), e);
                    }
                });
    }

    public static byte[] encode(SilenceRevision revision) {
        Silence silence = revision.silence();
        ObjectNode node = EventCodec.MAPPER.createObjectNode();
        node.put("v", VERSION);
        node.put("id", silence.id());
        ObjectNode matchers = node.putObject("matchers");
        silence.matchers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(matcher -> matchers.put(matcher.getKey(), matcher.getValue()));
        node.put("starts_at", silence.startsAt().toString());
        node.put("ends_at", silence.endsAt().toString());
        node.put("created_by", silence.createdBy());
        node.put("comment", silence.comment());
        node.put("revised_at", revision.revisedAt().toString());
        try {
            return EventCodec.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a tree cannot fail", e);
        }
    }

    /** Decodes one record value; throws {@link IllegalArgumentException} naming what is wrong with it. */
    public static SilenceRevision decode(byte[] bytes) {
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
        JsonNode matcherNode = node.get("matchers");
        if (matcherNode == null || !matcherNode.isObject()) {
            throw new IllegalArgumentException("matchers must be an object");
        }
        Map<String, String> matchers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = matcherNode.fields(); it.hasNext(); ) {
            var matcher = it.next();
            if (!matcher.getValue().isTextual()) {
                throw new IllegalArgumentException("matcher " + matcher.getKey() + " must be text");
            }
            matchers.put(matcher.getKey(), matcher.getValue().asText());
        }
        Silence silence = new Silence(text(node, "id"), matchers, instant(node, "starts_at"), instant(node, "ends_at"),
                text(node, "created_by"), text(node, "comment"));
        return new SilenceRevision(silence, instant(node, "revised_at"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be text");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(text(node, field));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an RFC 3339 time");
        }
    }
}

package io.mcpslo.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Converts between the v1 wire format (JSON) and the event records. */
public final class EventCodec {

    /** Shared mapper: duplicate keys are an error, strings and nesting are bounded. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(100).build());
    }

    private EventCodec() {
    }

    public static JsonNode parse(byte[] json) throws JsonProcessingException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail with IO", e);
        }
    }

    /**
     * Decodes an event this pipeline wrote itself (an internal topic), without re-running the schema:
     * it passed {@link EventValidator} on the way in. Anything malformed throws IllegalArgumentException.
     */
    public static McpEvent decodeTrusted(JsonNode node) {
        try {
            return decodeValid(node, java.time.Instant.parse(node.get("ts").asText()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an event of the v1 contract: " + e.getMessage(), e);
        }
    }

    /** Decodes an event that already passed {@link EventValidator}. */
    static McpEvent decodeValid(JsonNode node, Instant ts) {
        var envelope = new EventEnvelope(
                UUID.fromString(node.get("event_id").asText()), ts,
                text(node, "source"), text(node, "server"), text(node, "server_version"), text(node, "tool"),
                text(node, "method"), text(node, "protocol_version"), text(node, "session_id"), text(node, "user"),
                text(node, "team"), text(node, "trace_id"), text(node, "span_id"));
        return switch (node.get("kind").asText()) {
            case "call" -> new CallEvent(envelope, node.get("duration_ms").asDouble(),
                    Outcome.fromWireName(node.get("outcome").asText()),
                    node.has("error_code") ? node.get("error_code").asInt() : null,
                    text(node, "error_type"),
                    node.has("retry") ? node.get("retry").asInt() : null,
                    node.has("response_bytes") ? node.get("response_bytes").asLong() : null);
            case "audit" -> new AuditEvent(envelope, text(node, "actor"), text(node, "agent"), text(node, "action"),
                    text(node, "resource"), text(node, "args_hash"),
                    AuditEvent.Decision.valueOf(node.get("decision").asText().toUpperCase(Locale.ROOT)),
                    text(node, "policy"), text(node, "outcome"), text(node, "reason"));
            default -> throw new IllegalArgumentException("unknown kind");
        };
    }

    public static ObjectNode encode(McpEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        EventEnvelope envelope = event.envelope();
        node.put("event_id", envelope.eventId().toString());
        node.put("kind", event instanceof CallEvent ? "call" : "audit");
        node.put("ts", envelope.ts().toString());
        node.put("source", envelope.source());
        node.put("server", envelope.server());
        putIfPresent(node, "server_version", envelope.serverVersion());
        putIfPresent(node, "tool", envelope.tool());
        putIfPresent(node, "method", envelope.method());
        putIfPresent(node, "protocol_version", envelope.protocolVersion());
        putIfPresent(node, "session_id", envelope.sessionId());
        putIfPresent(node, "user", envelope.user());
        putIfPresent(node, "team", envelope.team());
        putIfPresent(node, "trace_id", envelope.traceId());
        putIfPresent(node, "span_id", envelope.spanId());
        switch (event) {
            case CallEvent call -> {
                node.put("duration_ms", call.durationMs());
                node.put("outcome", call.outcome().wireName());
                if (call.errorCode() != null) {
                    node.put("error_code", call.errorCode());
                }
                putIfPresent(node, "error_type", call.errorType());
                if (call.retry() != null) {
                    node.put("retry", call.retry());
                }
                if (call.responseBytes() != null) {
                    node.put("response_bytes", call.responseBytes());
                }
            }
            case AuditEvent audit -> {
                node.put("actor", audit.actor());
                putIfPresent(node, "agent", audit.agent());
                node.put("action", audit.action());
                putIfPresent(node, "resource", audit.resource());
                putIfPresent(node, "args_hash", audit.argsHash());
                node.put("decision", audit.decision().name().toLowerCase(Locale.ROOT));
                putIfPresent(node, "policy", audit.policy());
                putIfPresent(node, "outcome", audit.outcome());
                putIfPresent(node, "reason", audit.reason());
            }
        }
        return node;
    }

    public static byte[] encodeBytes(McpEvent event) {
        try {
            return MAPPER.writeValueAsBytes(encode(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding a tree cannot fail", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

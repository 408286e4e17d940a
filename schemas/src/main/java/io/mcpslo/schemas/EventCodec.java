package io.mcpslo.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
        return parse(json, 0, json.length);
    }

    public static JsonNode parse(byte[] json, int offset, int length) throws JsonProcessingException {
        try {
            return MAPPER.readTree(json, offset, length);
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

    /**
     * {@link #decodeTrusted(JsonNode)} straight from the bytes, as internal topics are read once per event by the
     * stream and the sink: one pass of the parser, no tree, and the timestamp read by {@link #parseInstant}. Whatever
     * this pass does not expect (a JSON null, a number where text belongs, broken JSON) is left to the tree path, so
     * the answer, or the error, is the same as {@code decodeTrusted(parse(json))}.
     */
    public static McpEvent decodeTrusted(byte[] json) throws JsonProcessingException {
        try {
            McpEvent event = decodeTrustedStreaming(json);
            if (event != null) {
                return event;
            }
        } catch (IOException | RuntimeException e) {
            // the tree path below gives this input's answer or error
        }
        return decodeTrusted(parse(json));
    }

    /** The fields of the v1 contract in one pass; null when anything is not as {@link #encode} writes it. */
    private static McpEvent decodeTrustedStreaming(byte[] json) throws IOException {
        String eventId = null, kind = null, ts = null, source = null, server = null, serverVersion = null, tool = null;
        String method = null, protocolVersion = null, sessionId = null, user = null, team = null, traceId = null;
        String spanId = null, outcome = null, errorType = null, actor = null, agent = null, action = null;
        String resource = null, argsHash = null, decision = null, policy = null, reason = null;
        Double durationMs = null;
        Integer errorCode = null, retry = null;
        Long responseBytes = null;
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "duration_ms", "error_code", "retry", "response_bytes" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                            return null;
                        }
                        switch (field) {
                            case "duration_ms" -> durationMs = parser.getValueAsDouble();
                            case "error_code" -> errorCode = parser.getValueAsInt();
                            case "retry" -> retry = parser.getValueAsInt();
                            default -> responseBytes = parser.getValueAsLong();
                        }
                    }
                    default -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        String text = parser.getText();
                        switch (field) {
                            case "event_id" -> eventId = text;
                            case "kind" -> kind = text;
                            case "ts" -> ts = text;
                            case "source" -> source = text;
                            case "server" -> server = text;
                            case "server_version" -> serverVersion = text;
                            case "tool" -> tool = text;
                            case "method" -> method = text;
                            case "protocol_version" -> protocolVersion = text;
                            case "session_id" -> sessionId = text;
                            case "user" -> user = text;
                            case "team" -> team = text;
                            case "trace_id" -> traceId = text;
                            case "span_id" -> spanId = text;
                            case "outcome" -> outcome = text;
                            case "error_type" -> errorType = text;
                            case "actor" -> actor = text;
                            case "agent" -> agent = text;
                            case "action" -> action = text;
                            case "resource" -> resource = text;
                            case "args_hash" -> argsHash = text;
                            case "decision" -> decision = text;
                            case "policy" -> policy = text;
                            case "reason" -> reason = text;
                            default -> {
                                // a field of no event: ignored, as by the tree path
                            }
                        }
                    }
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        }
        if (eventId == null || kind == null || ts == null) {
            return null;
        }
        var envelope = new EventEnvelope(UUID.fromString(eventId), parseInstant(ts), source, server, serverVersion,
                tool, method, protocolVersion, sessionId, user, team, traceId, spanId);
        return switch (kind) {
            case "call" -> durationMs == null || outcome == null ? null : new CallEvent(envelope, durationMs,
                    Outcome.fromWireName(outcome), errorCode, errorType, retry, responseBytes);
            case "audit" -> decision == null ? null : new AuditEvent(envelope, actor, agent, action, resource,
                    argsHash, AuditEvent.Decision.valueOf(decision.toUpperCase(Locale.ROOT)), policy, outcome, reason);
            default -> null;
        };
    }

    /**
     * {@link Instant#parse} for the form {@link Instant#toString} writes for years 0000 to 9999
     * ({@code 2026-11-25T10:15:30Z}, optionally with 3, 6 or 9 fraction digits), without the general formatter's
     * cost; any other text goes to {@link Instant#parse}, so the answer and the errors are the same.
     */
    public static Instant parseInstant(String text) {
        Instant utc = parseUtcInstant(text);
        return utc != null ? utc : Instant.parse(text);
    }

    /**
     * The instant of a real UTC timestamp in the form {@link Instant#toString} writes for years 0000 to 9999, or
     * null for any other text (other forms, offsets, impossible dates): the fast path that callers fall back from
     * to their own parser, whose answers and errors stay theirs.
     */
    public static Instant parseUtcInstant(String text) {
        int length = text.length();
        if ((length == 20 || length == 24 || length == 27 || length == 30) && text.charAt(length - 1) == 'Z'
                && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && (length == 20 || text.charAt(19) == '.')) {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int fraction = length == 20 ? 0 : digits(text, 20, length - 1);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1
                    && day <= java.time.Month.of(month).length(java.time.Year.isLeap(year)) && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && fraction >= 0) {
                long nanos = (long) fraction * (length == 20 ? 0 : length == 24 ? 1_000_000 : length == 27 ? 1_000 : 1);
                long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
            }
        }
        return null;
    }

    /** The decimal number in {@code text[from, to)}, or -1 if any of those characters is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
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

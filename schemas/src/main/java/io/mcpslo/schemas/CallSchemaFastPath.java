package io.mcpslo.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The call schema (envelope + call) written out by hand for the hot path: a generic JSON Schema validator costs
 * tens of microseconds per event, which alone caps a core well below the ingest target. It only ever says "this
 * event certainly satisfies the schema"; anything unusual (a surrogate pair, a float where an integer goes, any
 * violation) answers false and the event takes the full schema, which also words the violations. The
 * differential test holds it to the schema files: whatever passes here must pass there.
 *
 * <p>{@link #readCertainlyValid} is the same check made while reading the event's tokens, so that an ordinary call
 * goes from bytes to a {@link CallEvent} without a tree: building the tree was most of the collector's work.
 */
final class CallSchemaFastPath {

    private static final int NAME_MAX = 200;
    private static final int TEXT_MAX = 512;
    private static final Set<String> OUTCOMES = Set.of("ok", "tool_error", "transport_error", "denied", "rate_limited");
    private static final Set<String> NAME_FIELDS = Set.of("source", "server", "server_version", "tool", "method",
            "team", "error_type");
    private static final Set<String> TEXT_FIELDS = Set.of("session_id", "user");
    /** The bits {@link #readCertainlyValid} gives the eight required fields, and the tool's. */
    private static final int REQUIRED_FIELDS = 0xFF;
    private static final int TOOL_FIELD = 1 << 9;

    private CallSchemaFastPath() {
    }

    static boolean certainlyValid(JsonNode event) {
        if (!event.isObject()) {
            return false;
        }
        int required = 0;
        Iterator<Map.Entry<String, JsonNode>> fields = event.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean ok = switch (name) {
                case "event_id" -> { required++; yield isUuid(value); }
                case "kind" -> { required++; yield value.isTextual() && value.textValue().equals("call"); }
                case "ts" -> { required++; yield isTimestamp(value); }
                case "source", "server", "method" -> { required++; yield isPlainText(value, NAME_MAX); }
                case "duration_ms" -> {
                    required++;
                    yield value.isNumber() && value.doubleValue() >= 0 && value.doubleValue() <= 86_400_000;
                }
                case "outcome" -> { required++; yield value.isTextual() && OUTCOMES.contains(value.textValue()); }
                case "protocol_version" -> value.isTextual() && isDate(value.textValue());
                case "trace_id" -> isLowerHex(value, 32);
                case "span_id" -> isLowerHex(value, 16);
                case "error_code" -> isIntegerIn(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "retry" -> isIntegerIn(value, 0, 1_000);
                case "response_bytes" -> isIntegerIn(value, 0, 1_099_511_627_776L);
                default -> NAME_FIELDS.contains(name) ? isPlainText(value, NAME_MAX)
                        : TEXT_FIELDS.contains(name) && isPlainText(value, TEXT_MAX);
            };
            if (!ok) {
                return false;
            }
        }
        if (required != 8) {
            return false;
        }
        return !"tools/call".equals(event.get("method").textValue()) || event.has("tool");
    }

    /**
     * The call whose START_OBJECT the parser is on, when it certainly satisfies the schema and its timestamp is a
     * real date; the same event {@code EventCodec.decodeValid} would make
     * of its tree. Null for anything else, with the parser left inside the object: the caller reads the event again
     * by the full path, which words the violations. Every field is one the schema knows, each at most once, so the
     * parser needs no duplicate detection of its own. The timestamp is read as {@link EventValidator} reads it; its
     * range is the caller's to check.
     */
    static CallEvent readCertainlyValid(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String eventId = null, ts = null, source = null, server = null, method = null, outcome = null;
        String serverVersion = null, tool = null, protocolVersion = null, sessionId = null, user = null, team = null;
        String traceId = null, spanId = null, errorType = null;
        double durationMs = 0;
        Integer errorCode = null, retry = null;
        Long responseBytes = null;
        int seen = 0;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            int bit = switch (name) {
                case "event_id" -> 1;
                case "kind" -> 1 << 1;
                case "ts" -> 1 << 2;
                case "source" -> 1 << 3;
                case "server" -> 1 << 4;
                case "method" -> 1 << 5;
                case "duration_ms" -> 1 << 6;
                case "outcome" -> 1 << 7;
                case "server_version" -> 1 << 8;
                case "tool" -> TOOL_FIELD;
                case "protocol_version" -> 1 << 10;
                case "session_id" -> 1 << 11;
                case "user" -> 1 << 12;
                case "team" -> 1 << 13;
                case "trace_id" -> 1 << 14;
                case "span_id" -> 1 << 15;
                case "error_code" -> 1 << 16;
                case "error_type" -> 1 << 17;
                case "retry" -> 1 << 18;
                case "response_bytes" -> 1 << 19;
                default -> 0;
            };
            if (bit == 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                switch (name) {
                    case "duration_ms" -> {
                        durationMs = parser.getDoubleValue();
                        if (!(durationMs >= 0 && durationMs <= 86_400_000)) {
                            return null;
                        }
                    }
                    case "error_code" -> {
                        if (!isInt(parser, token)) {
                            return null;
                        }
                        errorCode = parser.getIntValue();
                    }
                    case "retry" -> {
                        if (!isInt(parser, token) || parser.getIntValue() < 0 || parser.getIntValue() > 1_000) {
                            return null;
                        }
                        retry = parser.getIntValue();
                    }
                    case "response_bytes" -> {
                        if (token != JsonToken.VALUE_NUMBER_INT
                                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                || parser.getLongValue() < 0 || parser.getLongValue() > 1_099_511_627_776L) {
                            return null;
                        }
                        responseBytes = parser.getLongValue();
                    }
                    default -> {
                        return null;
                    }
                }
                continue;
            }
            if (token != JsonToken.VALUE_STRING) {
                return null;
            }
            String text = parser.getText();
            boolean ok = switch (name) {
                case "event_id" -> isUuid(eventId = text);
                case "kind" -> text.equals("call");
                case "ts" -> isTimestamp(ts = text);
                case "source" -> isPlainText(source = text, NAME_MAX);
                case "server" -> isPlainText(server = text, NAME_MAX);
                case "method" -> isPlainText(method = text, NAME_MAX);
                case "outcome" -> OUTCOMES.contains(outcome = text);
                case "server_version" -> isPlainText(serverVersion = text, NAME_MAX);
                case "tool" -> isPlainText(tool = text, NAME_MAX);
                case "protocol_version" -> isDate(protocolVersion = text);
                case "session_id" -> isPlainText(sessionId = text, TEXT_MAX);
                case "user" -> isPlainText(user = text, TEXT_MAX);
                case "team" -> isPlainText(team = text, NAME_MAX);
                case "trace_id" -> isLowerHex(traceId = text, 32);
                case "span_id" -> isLowerHex(spanId = text, 16);
                case "error_type" -> isPlainText(errorType = text, NAME_MAX);
                default -> false;
            };
            if (!ok) {
                return null;
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || (seen & REQUIRED_FIELDS) != REQUIRED_FIELDS
                || ("tools/call".equals(method) && (seen & TOOL_FIELD) == 0)) {
            return null;
        }
        Instant instant = EventCodec.parseUtcInstant(ts);
        if (instant == null) {
            try {
                instant = OffsetDateTime.parse(ts).toInstant();
            } catch (DateTimeException e) {
                return null;
            }
        }
        var envelope = new EventEnvelope(UUID.fromString(eventId), instant, source, server, serverVersion, tool, method,
                protocolVersion, sessionId, user, team, traceId, spanId);
        return new CallEvent(envelope, durationMs, Outcome.fromWireName(outcome), errorCode, errorType, retry,
                responseBytes);
    }

    /** An integral number within int, as the tree would hold it in an IntNode. */
    private static boolean isInt(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT;
    }

    /** Non-empty, at most {@code max} UTF-16 units (so at most that many code points) and no character the
     * schema's printable rule might refuse: no control character and no surrogate at all. */
    private static boolean isPlainText(JsonNode value, int max) {
        return value.isTextual() && isPlainText(value.textValue(), max);
    }

    private static boolean isPlainText(String text, int max) {
        if (text.isEmpty() || text.length() > max) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUuid(JsonNode value) {
        return value.isTextual() && isUuid(value.textValue());
    }

    private static boolean isUuid(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : isHex(c);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code yyyy-mm-ddThh:mm:ss[.f{1,9}](Z|±hh:mm)}, by shape only, as the schema's pattern. */
    private static boolean isTimestamp(JsonNode value) {
        return value.isTextual() && isTimestamp(value.textValue());
    }

    private static boolean isTimestamp(String ts) {
        int length = ts.length();
        if (length < 20 || length > 40 || !isDate(ts.substring(0, 10)) || ts.charAt(10) != 'T'
                || !digits(ts, 11, 13) || ts.charAt(13) != ':' || !digits(ts, 14, 16) || ts.charAt(16) != ':'
                || !digits(ts, 17, 19)) {
            return false;
        }
        int i = 19;
        if (ts.charAt(i) == '.') {
            int start = ++i;
            while (i < length && isDigit(ts.charAt(i))) {
                i++;
            }
            if (i - start < 1 || i - start > 9) {
                return false;
            }
        }
        if (i == length - 1) {
            return ts.charAt(i) == 'Z';
        }
        return i == length - 6 && (ts.charAt(i) == '+' || ts.charAt(i) == '-') && digits(ts, i + 1, i + 3)
                && ts.charAt(i + 3) == ':' && digits(ts, i + 4, i + 6);
    }

    private static boolean isDate(String text) {
        return text.length() == 10 && digits(text, 0, 4) && text.charAt(4) == '-' && digits(text, 5, 7)
                && text.charAt(7) == '-' && digits(text, 8, 10);
    }

    private static boolean isLowerHex(JsonNode value, int length) {
        return value.isTextual() && isLowerHex(value.textValue(), length);
    }

    private static boolean isLowerHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!isDigit(c) && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Integral JSON numbers only; a float such as 1.0 is left to the schema, which has its own view of it. */
    private static boolean isIntegerIn(JsonNode value, long min, long max) {
        return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= min
                && value.longValue() <= max;
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}

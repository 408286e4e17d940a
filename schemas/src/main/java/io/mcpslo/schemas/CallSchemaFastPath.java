package io.mcpslo.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The call schema (envelope + call) written out by hand for the hot path: a generic JSON Schema validator costs
 * tens of microseconds per event, which alone caps a core well below the ingest target. It only ever says "this
 * event certainly satisfies the schema"; anything unusual (a surrogate pair, a float where an integer goes, any
 * violation) answers false and the event takes the full schema, which also words the violations. The
 * differential test holds it to the schema files: whatever passes here must pass there.
 */
final class CallSchemaFastPath {

    private static final int NAME_MAX = 200;
    private static final int TEXT_MAX = 512;
    private static final Set<String> OUTCOMES = Set.of("ok", "tool_error", "transport_error", "denied", "rate_limited");
    private static final Set<String> NAME_FIELDS = Set.of("source", "server", "server_version", "tool", "method",
            "team", "error_type");
    private static final Set<String> TEXT_FIELDS = Set.of("session_id", "user");

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

    /** Non-empty, at most {@code max} UTF-16 units (so at most that many code points) and no character the
     * schema's printable rule might refuse: no control character and no surrogate at all. */
    private static boolean isPlainText(JsonNode value, int max) {
        if (!value.isTextual()) {
            return false;
        }
        String text = value.textValue();
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
        if (!value.isTextual() || value.textValue().length() != 36) {
            return false;
        }
        String id = value.textValue();
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
        if (!value.isTextual()) {
            return false;
        }
        String ts = value.textValue();
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
        if (!value.isTextual() || value.textValue().length() != length) {
            return false;
        }
        String text = value.textValue();
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

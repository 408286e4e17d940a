package io.mcpslo.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.FailureLocus;
import io.mcpslo.schemas.Outcome;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one mapping from OpenTelemetry data onto the v1 event contract: MCP spans (OpenTelemetry MCP semantic
 * conventions, older attribute names too) become {@code call} events, log records with {@code audit.action}
 * become {@code audit} events. It produces the contract's JSON; the caller validates it with the same
 * {@code EventValidator} as {@code POST /v1/events}. The README's "OTLP mapping" table is this class in prose.
 */
public final class McpOtlpMapping {

    /** A span or log record with more attributes than this is refused rather than read. */
    public static final int MAX_ATTRIBUTES = 1000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();
    private static final String UNKNOWN_SERVICE = "unknown_service";

    /** What became of one span or log record. */
    public sealed interface Mapped {
    }

    /** An event in the contract's JSON, still to be validated; {@code location} says where it came from. */
    public record Event(String location, ObjectNode json) implements Mapped {
    }

    /** Not an MCP request (or not an audit record): skipped, and counted by {@code reason}. */
    public record Ignored(String location, String reason) implements Mapped {
    }

    /** An MCP span or audit record that cannot become an event: {@code field} names the OTLP field or attribute. */
    public record Refused(String location, String field, String message) implements Mapped {
    }

    /**
     * @param sourceOverride the event {@code source} to use (the gateway id of the sender's token), or null to take
     *                       the resource's {@code service.name}
     */
    public List<Mapped> spans(ExportTraceServiceRequest request, String sourceOverride) {
        List<Mapped> mapped = new ArrayList<>();
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resourceSpans = request.getResourceSpans(r);
            Attributes resource = resourceAttributes(resourceSpans.getResource());
            for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
                ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
                for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
                    String location = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    mapped.add(resource == null
                            ? tooManyAttributes(location, "resource.attributes", resourceSpans.getResource().getAttributesCount())
                            : span(location, resource, scopeSpans.getSpans(i), sourceOverride));
                }
            }
        }
        return mapped;
    }

    public List<Mapped> logs(ExportLogsServiceRequest request, String sourceOverride) {
        List<Mapped> mapped = new ArrayList<>();
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs resourceLogs = request.getResourceLogs(r);
            Attributes resource = resourceAttributes(resourceLogs.getResource());
            for (int s = 0; s < resourceLogs.getScopeLogsCount(); s++) {
                ScopeLogs scopeLogs = resourceLogs.getScopeLogs(s);
                for (int i = 0; i < scopeLogs.getLogRecordsCount(); i++) {
                    String location = "resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords[" + i + "]";
                    mapped.add(resource == null
                            ? tooManyAttributes(location, "resource.attributes", resourceLogs.getResource().getAttributesCount())
                            : logRecord(location, resource, scopeLogs.getLogRecords(i), sourceOverride));
                }
            }
        }
        return mapped;
    }

    Mapped span(String location, Attributes resource, Span span, String sourceOverride) {
        if (span.getAttributesCount() > MAX_ATTRIBUTES) {
            return tooManyAttributes(location, "attributes", span.getAttributesCount());
        }
        Attributes attributes = new Attributes(span.getAttributesList());
        try {
            String method = attributes.text("mcp.method.name");
            if (method == null) {
                return new Ignored(location, "not_mcp");
            }
            if (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER && span.getKind() != Span.SpanKind.SPAN_KIND_CLIENT) {
                return new Ignored(location, "span_kind");
            }
            if (method.startsWith("notifications/")) {
                return new Ignored(location, "notification");
            }
            String traceId = id(span.getTraceId(), 16, "trace_id");
            String spanId = id(span.getSpanId(), 8, "span_id");
            Instant start = time(span.getStartTimeUnixNano(), "start_time_unix_nano");
            Instant end = time(span.getEndTimeUnixNano(), "end_time_unix_nano");
            if (end.isBefore(start)) {
                throw new Refusal("end_time_unix_nano", "end_time_unix_nano (" + end + ") is before start_time_unix_nano ("
                        + start + ")");
            }
            boolean client = span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT;
            String serviceName = serviceName(resource);
            String serverAddress = client ? attributes.text("server.address") : null;

            ObjectNode event = JSON.objectNode();
            event.put("event_id", UUID.nameUUIDFromBytes(("otlp-span:" + traceId + ":" + spanId)
                    .getBytes(StandardCharsets.UTF_8)).toString());
            event.put("kind", "call");
            event.put("ts", start.truncatedTo(ChronoUnit.MILLIS).toString());
            event.put("source", sourceOverride != null ? sourceOverride : serviceName);
            event.put("server", serverAddress != null ? serverAddress : serviceName);
            putIfPresent(event, "server_version", serverAddress != null ? null : resource.text("service.version"));
            String tool = attributes.firstText("gen_ai.tool.name", "mcp.tool.name");
            if (tool == null && "tools/call".equals(method)) {
                tool = spanNameTarget(span.getName(), method);
            }
            putIfPresent(event, "tool", tool);
            event.put("method", method);
            String protocolVersion = attributes.text("mcp.protocol.version");
            putIfPresent(event, "protocol_version", protocolVersion);
            putIfPresent(event, "session_id", attributes.text("mcp.session.id"));
            putIfPresent(event, "user", attributes.firstText("user.id", "enduser.id"));
            event.put("trace_id", traceId);
            event.put("span_id", spanId);
            event.put("duration_ms", (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000.0);

            String errorType = attributes.text("error.type");
            Integer jsonRpcCode = attributes.integer("rpc.response.status_code");
            if (jsonRpcCode == null) {
                jsonRpcCode = attributes.integer("rpc.jsonrpc.error_code");
            }
            if (jsonRpcCode == null && errorType != null) {
                jsonRpcCode = parseInteger(errorType);
            }
            Integer httpStatus = attributes.integer("http.response.status_code");
            Outcome outcome = FailureLocus.classify(errorType, jsonRpcCode, httpStatus, protocolVersion,
                    span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
            event.put("outcome", outcome.wireName());
            Integer errorCode = jsonRpcCode != null && jsonRpcCode != 0 ? jsonRpcCode
                    : httpStatus != null && httpStatus >= 400 ? httpStatus : null;
            if (outcome != Outcome.OK) {
                if (errorCode != null) {
                    event.put("error_code", errorCode);
                }
                putIfPresent(event, "error_type", errorType);
            }
            return new Event(location, event);
        } catch (Refusal refusal) {
            return new Refused(location, refusal.field, refusal.getMessage());
        }
    }

    Mapped logRecord(String location, Attributes resource, LogRecord record, String sourceOverride) {
        if (record.getAttributesCount() > MAX_ATTRIBUTES) {
            return tooManyAttributes(location, "attributes", record.getAttributesCount());
        }
        Attributes attributes = new Attributes(record.getAttributesList());
        try {
            String action = attributes.text("audit.action");
            if (action == null) {
                return new Ignored(location, "not_audit");
            }
            long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
            Instant ts = time(nanos, "time_unix_nano");
            String serviceName = serviceName(resource);
            String serverAddress = attributes.text("server.address");

            ObjectNode event = JSON.objectNode();
            // a resent export carries the same record, so the same id: it counts once
            event.put("event_id", UUID.nameUUIDFromBytes(concat("otlp-log:" + serviceName + ":",
                    record.toByteArray())).toString());
            event.put("kind", "audit");
            event.put("ts", ts.truncatedTo(ChronoUnit.MILLIS).toString());
            event.put("source", sourceOverride != null ? sourceOverride : serviceName);
            event.put("server", serverAddress != null ? serverAddress : serviceName);
            putIfPresent(event, "server_version", serverAddress != null ? null : resource.text("service.version"));
            putIfPresent(event, "tool", attributes.firstText("gen_ai.tool.name", "mcp.tool.name"));
            putIfPresent(event, "method", attributes.text("mcp.method.name"));
            putIfPresent(event, "protocol_version", attributes.text("mcp.protocol.version"));
            putIfPresent(event, "session_id", attributes.text("mcp.session.id"));
            putIfPresent(event, "user", attributes.firstText("user.id", "enduser.id"));
            if (!record.getTraceId().isEmpty()) {
                event.put("trace_id", id(record.getTraceId(), 16, "trace_id"));
            }
            if (!record.getSpanId().isEmpty()) {
                event.put("span_id", id(record.getSpanId(), 8, "span_id"));
            }
            putIfPresent(event, "actor", attributes.firstText("audit.actor", "user.id", "enduser.id"));
            putIfPresent(event, "agent", attributes.text("audit.agent"));
            event.put("action", action);
            putIfPresent(event, "resource", attributes.text("audit.resource"));
            String argsHash = argumentsHash(attributes);
            putIfPresent(event, "args_hash", argsHash != null ? argsHash : attributes.text("audit.args_hash"));
            putIfPresent(event, "decision", attributes.text("audit.decision"));
            putIfPresent(event, "policy", attributes.text("audit.policy"));
            putIfPresent(event, "outcome", attributes.text("audit.outcome"));
            putIfPresent(event, "reason", attributes.text("audit.reason"));
            return new Event(location, event);
        } catch (Refusal refusal) {
            return new Refused(location, refusal.field, refusal.getMessage());
        }
    }

    /** The hash of raw arguments, when a record carries them; the arguments themselves go no further. */
    private static String argumentsHash(Attributes attributes) throws Refusal {
        for (String key : List.of("audit.arguments", "arguments", "gen_ai.tool.call.arguments")) {
            AnyValue value = attributes.raw(key);
            if (value == null) {
                continue;
            }
            try {
                return value.getValueCase() == AnyValue.ValueCase.STRING_VALUE
                        ? ArgsHash.of(value.getStringValue()) : ArgsHash.of(toJson(value));
            } catch (IllegalArgumentException e) {
                throw new Refusal(key, key + ": the arguments are not one JSON value (" + e.getMessage() + ")");
            }
        }
        return null;
    }

    private static JsonNode toJson(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> JSON.textNode(value.getStringValue());
            case BOOL_VALUE -> JSON.booleanNode(value.getBoolValue());
            case INT_VALUE -> JSON.numberNode(value.getIntValue());
            case DOUBLE_VALUE -> JSON.numberNode(value.getDoubleValue());
            case ARRAY_VALUE -> {
                ArrayNode array = JSON.arrayNode();
                value.getArrayValue().getValuesList().forEach(item -> array.add(toJson(item)));
                yield array;
            }
            case KVLIST_VALUE -> {
                ObjectNode object = JSON.objectNode();
                value.getKvlistValue().getValuesList().forEach(kv -> object.set(kv.getKey(), toJson(kv.getValue())));
                yield object;
            }
            case BYTES_VALUE -> JSON.textNode(java.util.Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            // string_value_strindex points into a profiles dictionary, which spans and logs do not have
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> JSON.nullNode();
        };
    }

    private static Attributes resourceAttributes(Resource resource) {
        return resource.getAttributesCount() > MAX_ATTRIBUTES ? null : new Attributes(resource.getAttributesList());
    }

    private static Refused tooManyAttributes(String location, String field, int count) {
        return new Refused(location, field, field + ": " + count + " attributes, at most " + MAX_ATTRIBUTES
                + " are read");
    }

    private static String serviceName(Attributes resource) throws Refusal {
        String name = resource.text("service.name");
        return name != null ? name : UNKNOWN_SERVICE;
    }

    /** Semconv span names are "{mcp.method.name} {target}"; the target of tools/call is the tool. */
    private static String spanNameTarget(String spanName, String method) {
        String prefix = method + " ";
        return spanName.startsWith(prefix) && spanName.length() > prefix.length()
                ? spanName.substring(prefix.length()) : null;
    }

    private static String id(ByteString bytes, int length, String field) throws Refusal {
        if (bytes.size() != length) {
            throw new Refusal(field, field + ": must be " + length + " bytes, was " + bytes.size());
        }
        String hex = HEX.formatHex(bytes.toByteArray());
        if (hex.chars().allMatch(c -> c == '0')) {
            throw new Refusal(field, field + ": all zero, which OpenTelemetry defines as invalid");
        }
        return hex;
    }

    private static Instant time(long unixNanos, String field) throws Refusal {
        if (unixNanos == 0) {
            throw new Refusal(field, field + ": missing (0)");
        }
        if (unixNanos < 0) {
            throw new Refusal(field, field + ": " + Long.toUnsignedString(unixNanos)
                    + " ns is after the year 2262, not a time a span was taken at");
        }
        return Instant.ofEpochSecond(0, unixNanos);
    }

    private static void putIfPresent(ObjectNode event, String field, String value) {
        if (value != null) {
            event.put(field, value);
        }
    }

    private static Integer parseInteger(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] concat(String prefix, byte[] bytes) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    /** The attributes of a span, record or resource, by key; the last value of a repeated key wins. */
    static final class Attributes {
        private final Map<String, AnyValue> values = new HashMap<>();

        Attributes(List<KeyValue> keyValues) {
            keyValues.forEach(kv -> values.put(kv.getKey(), kv.getValue()));
        }

        AnyValue raw(String key) {
            return values.get(key);
        }

        /** A scalar attribute as text; arrays, maps and bytes are refused naming the attribute. */
        String text(String key) throws Refusal {
            AnyValue value = values.get(key);
            if (value == null) {
                return null;
            }
            return switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValue();
                case INT_VALUE -> Long.toString(value.getIntValue());
                case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
                case VALUE_NOT_SET -> null;
                case ARRAY_VALUE, KVLIST_VALUE, BYTES_VALUE, STRING_VALUE_STRINDEX -> throw new Refusal(key, key + ": must be a string, was "
                        + value.getValueCase().name().toLowerCase(java.util.Locale.ROOT).replace("_value", ""));
            };
        }

        String firstText(String... keys) throws Refusal {
            for (String key : keys) {
                String text = text(key);
                if (text != null) {
                    return text;
                }
            }
            return null;
        }

        /** An integer attribute, given as an int or as the text of one ("-32602"); null for other text ("OK"). */
        Integer integer(String key) throws Refusal {
            AnyValue value = values.get(key);
            if (value == null) {
                return null;
            }
            if (value.getValueCase() == AnyValue.ValueCase.INT_VALUE) {
                long number = value.getIntValue();
                if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                    throw new Refusal(key, key + ": " + number + " is out of the 32-bit range of a status code");
                }
                return (int) number;
            }
            String text = text(key);
            return text == null ? null : parseInteger(text);
        }
    }

    /** Why an MCP span or audit record cannot become an event; internal to the mapping. */
    static final class Refusal extends Exception {
        private final String field;

        Refusal(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}

package io.mcpslo.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.mcpslo.schemas.PrintableText;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads OTLP export requests in both encodings of the OTLP/HTTP specification: binary protobuf, and the JSON
 * encoding (proto3 JSON, except that trace and span ids are hex strings, not base64).
 */
public final class OtlpDecoder {

    /** The two OTLP encodings. */
    public enum Encoding { PROTOBUF, JSON }

    /** The body is not an export request in the named encoding. */
    public static final class MalformedRequestException extends Exception {
        public MalformedRequestException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final List<String> ID_FIELDS = List.of("traceId", "spanId", "parentSpanId");

    private OtlpDecoder() {
    }

    public static ExportTraceServiceRequest traces(byte[] body, Encoding encoding) throws MalformedRequestException {
        if (encoding == Encoding.PROTOBUF) {
            try {
                return ExportTraceServiceRequest.parseFrom(body);
            } catch (InvalidProtocolBufferException e) {
                throw malformedProtobuf(e);
            }
        }
        ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
        mergeJson(body, builder);
        return builder.build();
    }

    public static ExportLogsServiceRequest logs(byte[] body, Encoding encoding) throws MalformedRequestException {
        if (encoding == Encoding.PROTOBUF) {
            try {
                return ExportLogsServiceRequest.parseFrom(body);
            } catch (InvalidProtocolBufferException e) {
                throw malformedProtobuf(e);
            }
        }
        ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
        mergeJson(body, builder);
        return builder.build();
    }

    private static MalformedRequestException malformedProtobuf(InvalidProtocolBufferException e) {
        return new MalformedRequestException("body is not a valid OTLP protobuf export request: " + e.getMessage());
    }

    private static void mergeJson(byte[] body, Message.Builder builder) throws MalformedRequestException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail with IO", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedRequestException("body must be one JSON object (an OTLP export request)");
        }
        hexIdsToBase64(tree, "$");
        try {
            JSON_PARSER.merge(MAPPER.writeValueAsString(tree), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRequestException("body is not a valid OTLP JSON export request: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree writes back", e);
        }
    }

    /** OTLP/JSON writes ids as hex where proto3 JSON would write base64; turn them into what the parser reads. */
    private static void hexIdsToBase64(JsonNode node, String path) throws MalformedRequestException {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (var entry : object.properties()) {
                String childPath = path + "." + entry.getKey();
                if (ID_FIELDS.contains(entry.getKey()) && entry.getValue().isTextual()) {
                    String hex = entry.getValue().textValue();
                    try {
                        entry.setValue(object.textNode(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex))));
                    } catch (IllegalArgumentException e) {
                        throw new MalformedRequestException(childPath + ": ids are hex strings in OTLP/JSON, \""
                                + PrintableText.abbreviated(hex, 40) + "\" is not");
                    }
                } else {
                    hexIdsToBase64(entry.getValue(), childPath);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                hexIdsToBase64(node.get(i), path + "[" + i + "]");
            }
        }
    }
}

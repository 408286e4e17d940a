package io.mcpslo.collector;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.mcpslo.otlp.OtlpDecoder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** OTLP/HTTP answers, in the encoding of the request: export responses and {@code google.rpc.Status} errors. */
final class OtlpResponses {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpResponses() {
    }

    /** 200 with an export response; {@code partial_success} set when {@code rejected} is above zero. */
    static void success(Context ctx, OtlpDecoder.Encoding encoding, OtlpHandler.Signal signal, long rejected,
                        String message) {
        Message response = switch (signal) {
            case TRACES -> {
                ExportTraceServiceResponse.Builder builder = ExportTraceServiceResponse.newBuilder();
                if (rejected > 0) {
                    builder.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
                            .setErrorMessage(message));
                }
                yield builder.build();
            }
            case LOGS -> {
                ExportLogsServiceResponse.Builder builder = ExportLogsServiceResponse.newBuilder();
                if (rejected > 0) {
                    builder.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected)
                            .setErrorMessage(message));
                }
                yield builder.build();
            }
        };
        ctx.status(HttpStatus.OK);
        if (encoding == OtlpDecoder.Encoding.PROTOBUF) {
            ctx.contentType("application/x-protobuf").result(response.toByteArray());
        } else {
            try {
                ctx.contentType("application/json").result(JSON.print(response));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("an export response always prints", e);
            }
        }
    }

    /** An error answer: the HTTP status, and a {@code google.rpc.Status} with the message as the body. */
    static void error(Context ctx, OtlpDecoder.Encoding encoding, HttpStatus status, String message) {
        int rpcCode = rpcCode(status);
        ctx.status(status);
        if (encoding == OtlpDecoder.Encoding.PROTOBUF) {
            ctx.contentType("application/x-protobuf").result(statusProtobuf(rpcCode, message));
        } else {
            ctx.json(Map.of("code", rpcCode, "message", message));
        }
    }

    /** google.rpc.Status is {code = 1 (int32), message = 2 (string), details = 3}; only the first two are sent. */
    static byte[] statusProtobuf(int code, String message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gRPC code matching an HTTP status, as the OTLP/HTTP specification pairs them. */
    private static int rpcCode(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> 3;            // INVALID_ARGUMENT
            case CONTENT_TOO_LARGE -> 8;      // RESOURCE_EXHAUSTED
            case UNSUPPORTED_MEDIA_TYPE -> 3;
            case SERVICE_UNAVAILABLE -> 14;   // UNAVAILABLE
            default -> 2;                     // UNKNOWN
        };
    }
}

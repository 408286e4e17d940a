package io.mcpslo.allinone;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's traffic as OTLP/protobuf trace exports, the way an instrumented gateway sends it: one export per
 * batch, one resource (the MCP server) per export, server spans of tools/call with the MCP semantic conventions.
 */
final class OtlpBenchTraffic {

    private OtlpBenchTraffic() {
    }

    static List<byte[]> exports(int spans, int perExport, int servers, int toolsPerServer, long seed) {
        Random random = new Random(seed);
        long nowNanos = Instant.now().toEpochMilli() * 1_000_000L;
        List<byte[]> exports = new ArrayList<>();
        for (int sent = 0; sent < spans; sent += perExport) {
            int server = random.nextInt(servers);
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (int i = 0; i < Math.min(perExport, spans - sent); i++) {
                long start = nowNanos + random.nextInt(1_000) * 1_000_000L;
                long duration = Math.round(Math.exp(4 + random.nextGaussian()) * 1_000_000);
                String tool = "tool_" + server + "_" + random.nextInt(toolsPerServer);
                byte[] traceId = new byte[16];
                byte[] spanId = new byte[8];
                random.nextBytes(traceId);
                random.nextBytes(spanId);
                traceId[0] |= 1;
                spanId[0] |= 1;
                scope.addSpans(Span.newBuilder().setKind(Span.SpanKind.SPAN_KIND_SERVER).setName("tools/call " + tool)
                        .setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId))
                        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration)
                        .addAttributes(text("mcp.method.name", "tools/call"))
                        .addAttributes(text("gen_ai.tool.name", tool)));
            }
            Resource resource = Resource.newBuilder().addAttributes(text("service.name", "otlp-bench-" + server))
                    .addAttributes(text("service.version", "1.0")).build();
            exports.add(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(resource).addScopeSpans(scope)).build().toByteArray());
        }
        return exports;
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}

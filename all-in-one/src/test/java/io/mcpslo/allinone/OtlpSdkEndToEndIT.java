package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.engine.sketch.LatencySketch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.internal.HttpExporter;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.internal.StandardComponentId;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway instrumented with the real OpenTelemetry Java SDK exports MCP spans to the collector, half over OTLP
 * protobuf (gzip) and half over OTLP JSON; the whole pipeline (embedded Kafka, Kafka Streams, ClickHouse, query API)
 * then shows exactly the calls and failure loci the spans said, and a resent export counts once.
 */
class OtlpSdkEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SERVER = "otel-e2e";
    private static final String SEARCH = "otel_search_v2";
    private static final String VALIDATE = "otel_validate";
    private static final int SEARCH_CALLS = 40;
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));

    private static ClickHouseClient clickHouse;
    private static Pipeline pipeline;
    private static TestPipeline running;

    @BeforeAll
    static void start() throws Exception {
        running = TestPipeline.start("otlp_e2e");
        clickHouse = running.clickHouse();
        pipeline = running.pipeline();
    }

    @AfterAll
    static void stop() {
        TestPipeline.stop(running);
    }

    /** What the gateway did, as it recorded it with the SDK. */
    private record Scenario(List<SpanData> spans, LatencySketch searchLatencies, int searchToolErrors,
                            int searchTransportErrors) {
    }

    private static Scenario recordSpans() {
        InMemorySpanExporter memory = InMemorySpanExporter.create();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), SERVER, AttributeKey.stringKey("service.version"), "3.0.1")));
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
            Tracer tracer = provider.get("mcp-gateway-test");
            Random random = new Random(13);
            LatencySketch latencies = LatencySketch.empty();
            int toolErrors = 0;
            int transportErrors = 0;
            for (int i = 0; i < SEARCH_CALLS; i++) {
                long latencyMicros = (long) (Math.exp(Math.log(80_000) + 0.6 * random.nextGaussian()));
                latencies.record(latencyMicros / 1000.0);
                Instant start = BASE.plusMillis(i * 2_000L);
                var span = tracer.spanBuilder("tools/call " + SEARCH).setSpanKind(SpanKind.SERVER)
                        .setStartTimestamp(start)
                        .setAttribute("mcp.method.name", "tools/call").setAttribute("gen_ai.tool.name", SEARCH)
                        .setAttribute("mcp.protocol.version", "2025-11-25").setAttribute("mcp.session.id", "s-" + i % 3)
                        .setAttribute("jsonrpc.request.id", String.valueOf(i)).startSpan();
                if (i % 5 == 0) {
                    span.setAttribute("error.type", "tool_error").setStatus(StatusCode.ERROR);
                    toolErrors++;
                } else if (i % 7 == 0) {
                    span.setAttribute("error.type", "-32603").setAttribute("rpc.response.status_code", "-32603")
                            .setStatus(StatusCode.ERROR, "Internal error");
                    transportErrors++;
                }
                span.end(start.plusNanos(latencyMicros * 1000));
            }
            // the same bad argument, answered by the two protocol revisions
            for (String revision : List.of("2025-06-18", "2025-06-18", "2025-11-25", "2025-11-25")) {
                Instant start = BASE.plusSeconds(100);
                tracer.spanBuilder("tools/call " + VALIDATE).setSpanKind(SpanKind.SERVER).setStartTimestamp(start)
                        .setAttribute("mcp.method.name", "tools/call").setAttribute("gen_ai.tool.name", VALIDATE)
                        .setAttribute("mcp.protocol.version", revision).setAttribute("error.type", "-32602")
                        .setAttribute("rpc.response.status_code", "-32602").startSpan()
                        .setStatus(StatusCode.ERROR).end(start.plusMillis(3));
            }
            // not MCP requests: ignored, and counted
            tracer.spanBuilder("SELECT issues").setSpanKind(SpanKind.INTERNAL).setStartTimestamp(BASE).startSpan()
                    .end(BASE.plusMillis(1));
            tracer.spanBuilder("notifications/progress").setSpanKind(SpanKind.CLIENT).setStartTimestamp(BASE)
                    .setAttribute("mcp.method.name", "notifications/progress").startSpan().end(BASE.plusMillis(1));
            return new Scenario(memory.getFinishedSpanItems(), latencies, toolErrors, transportErrors);
        }
    }

    private static void exportOverProtobuf(List<SpanData> spans) {
        try (OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/traces")
                .addHeader("Authorization", "Bearer " + pipeline.tokens().gateway())
                .setCompression("gzip").build()) {
            assertSucceeded(exporter.export(spans), "protobuf");
        }
    }

    /**
     * The SDK's OTLP/JSON exporter is only reachable through its internal builder (the autoconfigure module uses it
     * for {@code http/json}); it is the SDK's own JSON encoding and HTTP sender all the same.
     */
    private static void exportOverJson(List<SpanData> spans) {
        HttpExporter exporter = new HttpExporterBuilder(
                StandardComponentId.ExporterType.OTLP_HTTP_JSON_SPAN_EXPORTER,
                "http://127.0.0.1:" + pipeline.collectorPort() + "/v1/traces")
                .addConstantHeaders("Authorization", "Bearer " + pipeline.tokens().gateway())
                .exportAsJson().build();
        try {
            assertSucceeded(exporter.export(TraceRequestMarshaler.create(spans), spans.size()), "JSON");
        } finally {
            exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static void assertSucceeded(CompletableResultCode result, String encoding) {
        result.join(30, TimeUnit.SECONDS);
        assertTrue(result.isSuccess(), "the " + encoding + " export failed: " + result.getFailureThrowable());
    }

    private static long scalar(String sql) {
        return running.scalar(sql);
    }

    private static void awaitAtLeast(String what, long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long value = actual.getAsLong();
        while (value < expected && System.nanoTime() < deadline) {
            Thread.sleep(250);
            value = actual.getAsLong();
        }
        assertEquals(expected, value, what + " did not arrive within 90 s; processor metrics: " + processorMetrics());
    }

    private static List<String> processorMetrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.processorMetricsPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(line -> line.startsWith("mcp_processor_otlp") || line.startsWith("mcp_processor_dead")
                            || line.startsWith("mcp_processor_calls")).toList();
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    private static long processorMetric(String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + pipeline.processorMetricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode query(String endpoint, String tool) throws Exception {
        return query(endpoint, SERVER, tool);
    }

    private static JsonNode query(String endpoint, String server, String tool) throws Exception {
        return running.point(endpoint, server, tool, BASE, BASE.plus(Duration.ofMinutes(3)));
    }

    private static void assertStoredExactly(Scenario scenario) throws Exception {
        int calls = SEARCH_CALLS + 4;
        assertEquals(calls, scalar("SELECT count() FROM calls FINAL WHERE server = '" + SERVER + "'"));
        assertEquals(calls, scalar("SELECT count() FROM calls FINAL WHERE server = '" + SERVER
                + "' AND length(trace_id) = 32 AND length(span_id) = 16 AND source = '" + LocalTokens.GATEWAY_ID
                + "' AND server_version = '3.0.1'"));
        JsonNode search = query("failures", SEARCH);
        assertEquals(SEARCH_CALLS, search.get("calls").asLong());
        assertEquals(scenario.searchToolErrors(), search.get("tool_error").asLong());
        assertEquals(scenario.searchTransportErrors(), search.get("transport_error").asLong());
        JsonNode validate = query("failures", VALIDATE);
        assertEquals(4, validate.get("calls").asLong());
        assertEquals(2, validate.get("tool_error").asLong(), "-32602 under 2025-06-18 is the tool's input fault");
        assertEquals(2, validate.get("transport_error").asLong(), "-32602 under 2025-11-25 is a protocol error");
        JsonNode latency = query("latency", SEARCH);
        assertEquals(scenario.searchLatencies().quantile(0.95), latency.get("p95_ms").asDouble(), 0.001);
    }

    @Test
    void spansExportedByTheSdkOverProtobufAndJsonBecomeExactlyTheCallsTheyDescribeAndAResentExportCountsOnce()
            throws Exception {
        Scenario scenario = recordSpans();
        List<SpanData> overProtobuf = new ArrayList<>();
        List<SpanData> overJson = new ArrayList<>();
        for (int i = 0; i < scenario.spans().size(); i++) {
            (i % 2 == 0 ? overProtobuf : overJson).add(scenario.spans().get(i));
        }
        exportOverProtobuf(overProtobuf);
        exportOverJson(overJson);

        int calls = SEARCH_CALLS + 4;
        String count = "SELECT count() FROM calls FINAL WHERE server = '" + SERVER + "'";
        awaitAtLeast("raw calls", calls, () -> scalar(count));
        awaitAtLeast("rollups", calls, () -> scalar("SELECT sum(calls) FROM call_rollups_1m FINAL WHERE server = '"
                + SERVER + "'"));
        assertStoredExactly(scenario);

        long duplicatesBefore = processorMetric("mcp_processor_calls_duplicate_total");
        long mcpSpansResent = overProtobuf.stream().filter(span -> span.getKind() == SpanKind.SERVER).count();
        exportOverProtobuf(overProtobuf);
        awaitAtLeast("duplicates seen by the rollup", duplicatesBefore + mcpSpansResent,
                () -> processorMetric("mcp_processor_calls_duplicate_total"));
        assertStoredExactly(scenario);
    }

    @Test
    void otlpProtoBatchesOnKafkaAsTheOtelCollectorWritesThemBecomeCallsOnce() throws Exception {
        String server = "otel-kafka";
        InMemorySpanExporter memory = InMemorySpanExporter.create();
        List<SpanData> spans;
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), server)))
                .addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
            Tracer tracer = provider.get("otel-collector-upstream");
            for (int i = 0; i < 5; i++) {
                Instant start = BASE.plusSeconds(20 + i);
                var span = tracer.spanBuilder("tools/call kafka_tool").setSpanKind(SpanKind.SERVER).setStartTimestamp(start)
                        .setAttribute("mcp.method.name", "tools/call").setAttribute("mcp.tool.name", "kafka_tool")
                        .startSpan();
                if (i < 2) {
                    span.setAttribute("error.type", "tool_error");
                }
                span.end(start.plusMillis(10 + i));
            }
            tracer.spanBuilder("GET /health").setSpanKind(SpanKind.SERVER).startSpan().end();
            spans = memory.getFinishedSpanItems(); // closing the provider empties the in-memory exporter
        }
        // the OpenTelemetry Collector's Kafka exporter (encoding otlp_proto) writes one export request per record
        long duplicatesBefore = processorMetric("mcp_processor_calls_duplicate_total");
        var batch = new java.io.ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans).writeBinaryTo(batch);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(Map.of(
                "bootstrap.servers", pipeline.settings().string("KAFKA_BOOTSTRAP_SERVERS", ""),
                "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName()))) {
            for (int resend = 0; resend < 2; resend++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("otlp_spans", batch.toByteArray()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        awaitAtLeast("the resent batch seen as duplicates", duplicatesBefore + 5,
                () -> processorMetric("mcp_processor_calls_duplicate_total"));
        awaitAtLeast("rollups from Kafka", 5, () -> scalar(
                "SELECT sum(calls) FROM call_rollups_1m FINAL WHERE server = '" + server + "'"));
        awaitAtLeast("raw calls from Kafka", 5, () -> scalar("SELECT count() FROM calls FINAL WHERE server = '" + server
                + "'"));
        JsonNode failures = query("failures", server, "kafka_tool");
        assertEquals(5, failures.get("calls").asLong());
        assertEquals(2, failures.get("tool_error").asLong());
        assertEquals(0, failures.get("transport_error").asLong());
        assertEquals(5, scalar("SELECT count() FROM calls FINAL WHERE server = '" + server + "'"));
    }
}

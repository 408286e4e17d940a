package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import io.javalin.Javalin;
import io.mcpslo.common.config.Settings;
import io.mcpslo.otlp.OtlpFixtures;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.McpEvent;
import io.mcpslo.schemas.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP in at the collector: encodings, the specification's answers, and hostile bodies. */
class OtlpIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant START = NOW.minusSeconds(30);
    private static final int MAX_BODY = 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<McpEvent> published = new CopyOnWriteArrayList<>();
    private volatile boolean kafkaDown;
    private PrometheusMeterRegistry registry;
    private Javalin app;

    @BeforeEach
    void start() {
        var config = CollectorConfig.from(new Settings(Map.of("COLLECTOR_PORT", "0",
                "COLLECTOR_MAX_BODY_BYTES", String.valueOf(MAX_BODY), "COLLECTOR_MAX_BATCH_EVENTS", "50")));
        EventPublisher publisher = new EventPublisher() {
            @Override
            public void publish(List<McpEvent> events) {
                if (kafkaDown) {
                    throw new PublishFailedException("broker gone", null);
                }
                published.addAll(events);
            }

            @Override
            public void close() {
            }
        };
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        app = CollectorApp.create(config, Clock.fixed(NOW, ZoneOffset.UTC), publisher, registry, TestTokens.auth()).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (HttpTestClient.token != null) {
            request.header("Authorization", "Bearer " + HttpTestClient.token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> postTraces(ExportTraceServiceRequest request) throws Exception {
        return post("/v1/traces", "application/x-protobuf", request.toByteArray());
    }

    static OtlpFixtures.SpanBuilder toolCall(String tool) {
        return OtlpFixtures.span(Span.SpanKind.SPAN_KIND_SERVER, START, 25_000_000L)
                .attribute("mcp.method.name", "tools/call").attribute("gen_ai.tool.name", tool)
                .attribute("mcp.protocol.version", "2025-11-25");
    }

    static ExportTraceServiceRequest export(Span... spans) {
        return OtlpFixtures.traces(OtlpFixtures.resource("github", "2.4.1"), spans);
    }

    /** google.rpc.Status as sent: field 2 is the message. */
    static String statusMessage(byte[] body) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String message = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == 2) {
                message = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return message;
    }

    @Test
    void protobufExportBecomesCallsAndOtherSpansAreIgnored() throws Exception {
        var response = postTraces(export(toolCall("search_code_v2").build(),
                toolCall("search_code_v2").attribute("error.type", "tool_error").build(),
                OtlpFixtures.span(Span.SpanKind.SPAN_KIND_INTERNAL, START, 1_000L).attribute("db.system", "x").build()));
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/x-protobuf", response.headers().firstValue("Content-Type").orElseThrow());
        assertFalse(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess());
        assertEquals(2, published.size());
        CallEvent ok = assertInstanceOf(CallEvent.class, published.get(0));
        assertEquals(Outcome.OK, ok.outcome());
        assertEquals(Outcome.TOOL_ERROR, ((CallEvent) published.get(1)).outcome());
        assertEquals("gw", ok.envelope().source(), "the sender's gateway id is the source");
        assertEquals("github", ok.envelope().server());
        assertEquals(25.0, ok.durationMs(), 1e-9);
        assertTrue(registry.scrape().contains("reason=\"not_mcp\""), registry.scrape());
    }

    @Test
    void jsonExportWithHexIdsIsAccepted() throws Exception {
        String body = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"jira"}}]},
                 "scopeSpans":[{"scope":{"name":"mcp"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
                 "spanId":"eee19b7ec3c1b174","name":"tools/call jira_search","kind":2,
                 "startTimeUnixNano":"%d","endTimeUnixNano":%d,
                 "attributes":[{"key":"mcp.method.name","value":{"stringValue":"tools/call"}},
                  {"key":"rpc.jsonrpc.error_code","value":{"intValue":"-32601"}}],"status":{"code":2},
                 "unknownFutureField":true}]}]}]}"""
                .formatted(OtlpFixtures.nanos(START), OtlpFixtures.nanos(START) + 7_000_000L);
        var response = post("/v1/traces", "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        CallEvent call = assertInstanceOf(CallEvent.class, published.get(0));
        assertEquals("5b8efff798038103d269b633813fc60c", call.envelope().traceId());
        assertEquals("eee19b7ec3c1b174", call.envelope().spanId());
        assertEquals("jira_search", call.envelope().tool());
        assertEquals(Outcome.TRANSPORT_ERROR, call.outcome());
        assertEquals(-32601, call.errorCode());
    }

    @Test
    void gzipBodiesAreRead() throws Exception {
        var response = post("/v1/traces", "application/x-protobuf", gzip(export(toolCall("a").build()).toByteArray()),
                "Content-Encoding", "gzip");
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(1, published.size());
    }

    @Test
    void someRejectedIsAPartialSuccessNamingTheField() throws Exception {
        var response = postTraces(export(toolCall("a").build(), toolCall("b").endNanos(1_000).build()));
        assertEquals(200, response.statusCode());
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertEquals(1, answer.getPartialSuccess().getRejectedSpans());
        assertTrue(answer.getPartialSuccess().getErrorMessage().contains("spans[1]: end_time_unix_nano"),
                answer.getPartialSuccess().getErrorMessage());
        assertEquals(1, published.size());
        assertEquals("a", published.get(0).envelope().tool());
    }

    @Test
    void base64IdsInJsonAreRefusedBecauseOtlpJsonIdsAreHex() throws Exception {
        var response = post("/v1/traces", "application/json", com.google.protobuf.util.JsonFormat.printer()
                .print(export(toolCall("a").build(), toolCall("b").startNanos(0).build())).getBytes(StandardCharsets.UTF_8));
        // plain proto3 JSON writes ids as base64; OTLP/JSON wants hex
        assertEquals(400, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("message").asText().contains("traceId"));
        assertTrue(published.isEmpty());
    }

    @Test
    void everyMcpSpanRejectedIsA400WithAStatusAndNothingStored() throws Exception {
        var response = postTraces(export(toolCall("a").startNanos(OtlpFixtures.nanos(NOW.plusSeconds(86_400 * 365)))
                .endNanos(OtlpFixtures.nanos(NOW.plusSeconds(86_400 * 365)) + 5).build()));
        assertEquals(400, response.statusCode());
        String message = statusMessage(response.body());
        assertTrue(message.contains("spans[0]: ts:"), message);
        assertTrue(published.isEmpty());
    }

    @Test
    void nonsenseTimestampsAreRefusedNamingTheField() throws Exception {
        for (var span : List.of(toolCall("a").startNanos(-1L), toolCall("a").startNanos(1L).endNanos(2L),
                toolCall("a").endNanos(OtlpFixtures.nanos(START) + Duration.ofDays(3).toNanos()))) {
            var response = postTraces(export(span.build()));
            assertEquals(400, response.statusCode());
            String message = statusMessage(response.body());
            assertTrue(message.matches(".*spans\\[0]: (start_time_unix_nano|ts|duration_ms):.*"), message);
        }
        assertTrue(published.isEmpty());
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-ndjson", null}) {
            var response = post("/v1/traces", type, export(toolCall("a").build()).toByteArray());
            assertEquals(415, response.statusCode(), type);
            assertTrue(JSON.readTree(response.body()).get("message").asText().contains("Content-Type"));
        }
        var brotli = post("/v1/traces", "application/x-protobuf", new byte[] {1}, "Content-Encoding", "br");
        assertEquals(415, brotli.statusCode());
        assertTrue(published.isEmpty());
    }

    @Test
    void truncatedOrLyingProtobufIsA400() throws Exception {
        byte[] whole = export(toolCall("a").build(), toolCall("b").build()).toByteArray();
        var truncated = postTraces(ExportTraceServiceRequest.getDefaultInstance());
        assertEquals(200, truncated.statusCode(), "an empty export is valid");
        var cut = post("/v1/traces", "application/x-protobuf", Arrays.copyOf(whole, whole.length - 7));
        assertEquals(400, cut.statusCode());
        assertTrue(statusMessage(cut.body()).startsWith("body: body is not a valid OTLP protobuf"), statusMessage(cut.body()));
        // field 1 (resource_spans), length-delimited, declaring 100 MB, followed by a few bytes
        byte[] lying = {0x0a, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x32, 1, 2, 3};
        var huge = post("/v1/traces", "application/x-protobuf", lying);
        assertEquals(400, huge.statusCode());
        var garbage = post("/v1/traces", "application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, garbage.statusCode());
        assertTrue(published.isEmpty());
    }

    @Test
    void badHexIdsInJsonAreA400NamingThePath() throws Exception {
        String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":\"00\"}]}]}]}";
        var response = post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, response.statusCode());
        JsonNode status = JSON.readTree(response.body());
        assertEquals(3, status.get("code").asInt());
        assertTrue(status.get("message").asText().contains("$.resourceSpans[0].scopeSpans[0].spans[0].traceId"),
                status.toString());
    }

    @Test
    void tenThousandAttributesRejectTheSpanNotTheCollector() throws Exception {
        OtlpFixtures.SpanBuilder span = toolCall("a");
        for (int i = 0; i < 10_000; i++) {
            span.attribute("k" + i, "v");
        }
        var response = postTraces(export(span.build(), toolCall("b").build()));
        assertEquals(200, response.statusCode());
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertEquals(1, answer.getPartialSuccess().getRejectedSpans());
        assertTrue(answer.getPartialSuccess().getErrorMessage().contains("attributes: 10003 attributes"));
        assertEquals(List.of("b"), published.stream().map(event -> event.envelope().tool()).toList());
    }

    @Test
    void oversizedBodiesAndGzipBombsAre413() throws Exception {
        var big = post("/v1/traces", "application/x-protobuf", new byte[MAX_BODY + 1]);
        assertEquals(413, big.statusCode());
        var bomb = post("/v1/traces", "application/x-protobuf", gzip(new byte[MAX_BODY * 4]), "Content-Encoding", "gzip");
        assertEquals(413, bomb.statusCode());
        assertTrue(statusMessage(bomb.body()).contains("after gunzip"));
        var notGzip = post("/v1/traces", "application/x-protobuf", new byte[] {1, 2, 3}, "Content-Encoding", "gzip");
        assertEquals(400, notGzip.statusCode());
        Span[] many = new Span[51];
        for (int i = 0; i < many.length; i++) {
            many[i] = toolCall("a").build();
        }
        var tooMany = postTraces(export(many));
        assertEquals(413, tooMany.statusCode());
        assertTrue(statusMessage(tooMany.body()).contains("COLLECTOR_MAX_BATCH_EVENTS"));
        assertTrue(published.isEmpty());
    }

    @Test
    void theSameBearerTokensAsEventsAreRequired() throws Exception {
        String gateway = HttpTestClient.token;
        try {
            HttpTestClient.token = null;
            assertEquals(401, postTraces(export(toolCall("a").build())).statusCode());
            HttpTestClient.token = TestTokens.sre;
            assertEquals(403, postTraces(export(toolCall("a").build())).statusCode());
            assertEquals(403, post("/v1/logs", "application/x-protobuf", new byte[0]).statusCode());
            HttpTestClient.token = TestTokens.admin;
            assertEquals(200, postTraces(export(toolCall("a").build())).statusCode());
            assertEquals("github", published.get(0).envelope().source(), "an admin sends as the service");
        } finally {
            HttpTestClient.token = gateway;
        }
    }

    @Test
    void kafkaDownIsA503WithRetryAfter() throws Exception {
        kafkaDown = true;
        var response = postTraces(export(toolCall("a").build()));
        assertEquals(503, response.statusCode());
        assertEquals("5", response.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(statusMessage(response.body()).contains("resend"));
    }

    @Test
    void auditLogRecordsBecomeAuditEventsWithOnlyTheArgumentsHash() throws Exception {
        String arguments = "{\"issue\":\"SECRET-1\"}";
        var request = OtlpFixtures.logs(OtlpFixtures.resource("jira", "3.1.0"),
                OtlpFixtures.log(START).attribute("audit.action", "tools/call").attribute("audit.actor", "alice")
                        .attribute("audit.decision", "allow").attribute("arguments", arguments).build(),
                OtlpFixtures.log(START).attribute("message", "an ordinary log line").build());
        var response = post("/v1/logs", "application/x-protobuf", request.toByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertFalse(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess());
        AuditEvent audit = assertInstanceOf(AuditEvent.class, published.get(0));
        assertEquals(1, published.size());
        assertEquals(ArgsHash.of(arguments), audit.argsHash());
        assertFalse(audit.toString().contains("SECRET-1"));
    }

    @Test
    void backDatedAuditRecordsAreRefusedByTheSameLatenessRule() throws Exception {
        var request = OtlpFixtures.logs(OtlpFixtures.resource("jira", null), OtlpFixtures.log(NOW.minus(Duration.ofDays(2)))
                .attribute("audit.action", "tool.kill").attribute("audit.actor", "bob").attribute("audit.decision", "allow")
                .attribute("audit.reason", "INC-9").build());
        var response = post("/v1/logs", "application/x-protobuf", request.toByteArray());
        assertEquals(400, response.statusCode());
        assertTrue(statusMessage(response.body()).contains("logRecords[0]: ts: an audit act must arrive"));
        assertTrue(published.isEmpty());
    }

    @Test
    void errorStatusWithoutDetailIsATransportFailure() throws Exception {
        postTraces(export(toolCall("a").status(Status.StatusCode.STATUS_CODE_ERROR).build()));
        assertEquals(Outcome.TRANSPORT_ERROR, ((CallEvent) published.get(0)).outcome());
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void aScopedGatewayCannotExportSpansOfAServerOutsideItsScopeAndTheRefusalIsCountedAndAudited() throws Exception {
        String defaultToken = HttpTestClient.token;
        HttpTestClient.token = TestTokens.scopedGateway;
        try {
            sendOutsideAndInsideTheScope();
        } finally {
            HttpTestClient.token = defaultToken;
        }
    }

    private void sendOutsideAndInsideTheScope() throws Exception {
        var refused = post("/v1/traces", "application/x-protobuf", OtlpFixtures.traces(
                OtlpFixtures.resource("gitlab", "1.0"), toolCall("search").build()).toByteArray());
        assertEquals(400, refused.statusCode(), statusMessage(refused.body()));
        assertTrue(statusMessage(refused.body()).contains("server: this token may send events of"),
                statusMessage(refused.body()));
        assertEquals(List.of(), published.stream().filter(CallEvent.class::isInstance).toList(), "no call stored");
        AuditEvent denied = published.stream().filter(AuditEvent.class::isInstance).map(AuditEvent.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("the refusal is audited: " + published));
        assertEquals(AuditEvent.Decision.DENY, denied.decision());
        assertEquals("gateway-scope", denied.policy());
        assertEquals("gitlab", denied.envelope().server());
        assertTrue(registry.scrape().contains("mcp_collector_denied_writes_total{field=\"server\",token=\"gw-fleet\"} 1.0"),
                registry.scrape());

        published.clear();
        var allowed = post("/v1/traces", "application/x-protobuf", export(toolCall("search").build()).toByteArray());
        assertEquals(200, allowed.statusCode(), statusMessage(allowed.body()));
        assertEquals(List.of("github"), published.stream().map(event -> event.envelope().server()).toList());
    }
}

package io.mcpslo.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.ValidationOutcome;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per row of the README's OTLP mapping table. */
class McpOtlpMappingTest {

    static final Instant START = Instant.parse("2026-11-25T10:15:30.123456789Z");
    final McpOtlpMapping mapping = new McpOtlpMapping();
    final EventValidator validator = new EventValidator(Clock.fixed(START.plusSeconds(60), ZoneOffset.UTC));

    ObjectNode call(OtlpFixtures.SpanBuilder span) {
        return call(span, OtlpFixtures.resource("github", "2.4.1"), null);
    }

    ObjectNode call(OtlpFixtures.SpanBuilder span, OtlpFixtures.ResourceBuilder resource, String sourceOverride) {
        List<McpOtlpMapping.Mapped> mapped = mapping.spans(OtlpFixtures.traces(resource, span.build()), sourceOverride);
        assertEquals(1, mapped.size());
        McpOtlpMapping.Event event = assertInstanceOf(McpOtlpMapping.Event.class, mapped.get(0), mapped.get(0).toString());
        assertInstanceOf(ValidationOutcome.Accepted.class, validator.validate(event.json()),
                () -> validator.validate(event.json()).toString());
        return event.json();
    }

    McpOtlpMapping.Mapped only(OtlpFixtures.SpanBuilder span) {
        return mapping.spans(OtlpFixtures.traces(OtlpFixtures.resource("github", "2.4.1"), span.build()), null).get(0);
    }

    static OtlpFixtures.SpanBuilder toolCall() {
        return OtlpFixtures.span(Span.SpanKind.SPAN_KIND_SERVER, START, 182_400_000L)
                .attribute("mcp.method.name", "tools/call").attribute("gen_ai.tool.name", "search_code_v2")
                .attribute("mcp.protocol.version", "2025-11-25");
    }

    @Test
    void methodToolSessionProtocolAndUserComeFromTheSemconvAttributes() {
        ObjectNode event = call(toolCall().attribute("mcp.session.id", "s-81f2").attribute("user.id", "alice"));
        assertEquals("call", event.get("kind").asText());
        assertEquals("tools/call", event.get("method").asText());
        assertEquals("search_code_v2", event.get("tool").asText());
        assertEquals("2025-11-25", event.get("protocol_version").asText());
        assertEquals("s-81f2", event.get("session_id").asText());
        assertEquals("alice", event.get("user").asText());
    }

    @Test
    void olderAttributeNamesStillMap() {
        ObjectNode event = call(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_SERVER, START, 5_000_000L)
                .attribute("mcp.method.name", "tools/call").attribute("mcp.tool.name", "jira_search")
                .attribute("mcp.request.id", "42").attribute("enduser.id", "bob")
                .attribute("rpc.jsonrpc.error_code", -32601L).status(Status.StatusCode.STATUS_CODE_ERROR));
        assertEquals("jira_search", event.get("tool").asText());
        assertEquals("bob", event.get("user").asText());
        assertEquals(-32601, event.get("error_code").asInt());
        assertEquals("transport_error", event.get("outcome").asText());
    }

    @Test
    void toolFallsBackToTheSpanNameTargetForToolsCall() {
        ObjectNode event = call(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_SERVER, START, 1_000_000L)
                .name("tools/call get_weather").attribute("mcp.method.name", "tools/call"));
        assertEquals("get_weather", event.get("tool").asText());
    }

    @Test
    void timestampIsTheStartInMillisecondsAndDurationIsEndMinusStart() {
        ObjectNode event = call(toolCall());
        assertEquals("2026-11-25T10:15:30.123Z", event.get("ts").asText());
        assertEquals(182.4, event.get("duration_ms").asDouble(), 1e-9);
    }

    @Test
    void serverSpanIsTheServiceItselfWithItsVersion() {
        ObjectNode event = call(toolCall().attribute("server.address", "localhost"));
        assertEquals("github", event.get("server").asText());
        assertEquals("2.4.1", event.get("server_version").asText());
        assertEquals("github", event.get("source").asText());
    }

    @Test
    void clientSpanNamesTheServerItCalledByServerAddress() {
        ObjectNode event = call(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_CLIENT, START, 1_000_000L)
                        .attribute("mcp.method.name", "tools/list").attribute("server.address", "jira.internal"),
                OtlpFixtures.resource("gateway-eu", "1.0.0"), null);
        assertEquals("jira.internal", event.get("server").asText());
        assertFalse(event.has("server_version"), "the gateway's version is not the server's");
        assertEquals("gateway-eu", event.get("source").asText());
    }

    @Test
    void clientSpanWithoutServerAddressFallsBackToTheServiceName() {
        ObjectNode event = call(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_CLIENT, START, 1_000_000L)
                .attribute("mcp.method.name", "initialize"), OtlpFixtures.resource("gateway-eu", "1.0.0"), null);
        assertEquals("gateway-eu", event.get("server").asText());
    }

    @Test
    void missingServiceNameIsTheSdkDefault() {
        ObjectNode event = call(toolCall(), OtlpFixtures.resource(null, null), null);
        assertEquals("unknown_service", event.get("server").asText());
        assertEquals("unknown_service", event.get("source").asText());
    }

    @Test
    void sourceIsTheSendersGatewayIdWhenGiven() {
        ObjectNode event = call(toolCall(), OtlpFixtures.resource("github", "2.4.1"), "gw-eu-1");
        assertEquals("gw-eu-1", event.get("source").asText());
        assertEquals("github", event.get("server").asText());
    }

    @Test
    void eventIdIsDerivedFromTraceAndSpanIdSoAResentSpanHasTheSameId() {
        OtlpFixtures.SpanBuilder span = toolCall().ids("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        ObjectNode first = call(span);
        ObjectNode again = call(span);
        ObjectNode other = call(toolCall().ids("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8"));
        assertEquals(first.get("event_id"), again.get("event_id"));
        assertNotEquals(first.get("event_id"), other.get("event_id"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", first.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", first.get("span_id").asText());
    }

    @Test
    void toolErrorTypeIsAToolFailure() {
        ObjectNode event = call(toolCall().attribute("error.type", "tool_error").status(Status.StatusCode.STATUS_CODE_ERROR));
        assertEquals("tool_error", event.get("outcome").asText());
        assertEquals("tool_error", event.get("error_type").asText());
        assertFalse(event.has("error_code"));
    }

    @Test
    void invalidParamsLandsByProtocolVersion() {
        ObjectNode before = call(toolCall().attribute("mcp.protocol.version", "2025-06-18")
                .attribute("rpc.response.status_code", "-32602").attribute("error.type", "-32602"));
        ObjectNode after = call(toolCall().attribute("mcp.protocol.version", "2025-11-25")
                .attribute("rpc.response.status_code", "-32602").attribute("error.type", "-32602"));
        assertEquals("tool_error", before.get("outcome").asText());
        assertEquals("transport_error", after.get("outcome").asText());
        assertEquals(-32602, after.get("error_code").asInt());
    }

    @Test
    void numericErrorTypeIsTheJsonRpcCodeWhenNoStatusCodeIsGiven() {
        ObjectNode event = call(toolCall().attribute("error.type", "-32603"));
        assertEquals("transport_error", event.get("outcome").asText());
        assertEquals(-32603, event.get("error_code").asInt());
    }

    @Test
    void httpStatusGivesDeniedRateLimitedAndTransportFailures() {
        assertEquals("denied", call(toolCall().attribute("http.response.status_code", 403L)).get("outcome").asText());
        assertEquals("rate_limited", call(toolCall().attribute("http.response.status_code", 429L)).get("outcome").asText());
        ObjectNode unavailable = call(toolCall().attribute("http.response.status_code", 503L));
        assertEquals("transport_error", unavailable.get("outcome").asText());
        assertEquals(503, unavailable.get("error_code").asInt());
    }

    @Test
    void errorStatusOrAnyOtherErrorTypeIsATransportFailure() {
        assertEquals("transport_error", call(toolCall().attribute("error.type", "timeout")).get("outcome").asText());
        assertEquals("transport_error", call(toolCall().status(Status.StatusCode.STATUS_CODE_ERROR)).get("outcome").asText());
        ObjectNode ok = call(toolCall().attribute("rpc.response.status_code", "OK"));
        assertEquals("ok", ok.get("outcome").asText());
        assertFalse(ok.has("error_code"));
    }

    @Test
    void spansThatAreNotMcpRequestsAreIgnoredWithTheReason() {
        assertEquals("not_mcp", assertInstanceOf(McpOtlpMapping.Ignored.class,
                only(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_SERVER, START, 1L).attribute("http.route", "/x"))).reason());
        assertEquals("span_kind", assertInstanceOf(McpOtlpMapping.Ignored.class,
                only(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_INTERNAL, START, 1L)
                        .attribute("mcp.method.name", "tools/call"))).reason());
        assertEquals("notification", assertInstanceOf(McpOtlpMapping.Ignored.class,
                only(OtlpFixtures.span(Span.SpanKind.SPAN_KIND_CLIENT, START, 1L)
                        .attribute("mcp.method.name", "notifications/cancelled"))).reason());
    }

    @Test
    void nonsenseTimesAndIdsAreRefusedNamingTheField() {
        assertRefused("end_time_unix_nano", toolCall().endNanos(OtlpFixtures.nanos(START) - 1));
        assertRefused("start_time_unix_nano", toolCall().startNanos(0));
        assertRefused("start_time_unix_nano", toolCall().startNanos(-5));
        assertRefused("trace_id", toolCall().ids("00000000000000000000000000000000", "00f067aa0ba902b7"));
        assertRefused("span_id", toolCall().rawSpanId(new byte[3]));
        assertRefused("gen_ai.tool.name", toolCall().attribute("gen_ai.tool.name",
                AnyValue.newBuilder().setKvlistValue(KeyValueList.getDefaultInstance()).build()));
    }

    @Test
    void tenThousandAttributesAreRefusedNotRead() {
        OtlpFixtures.SpanBuilder span = toolCall();
        for (int i = 0; i < 10_000; i++) {
            span.attribute("a" + i, "v");
        }
        McpOtlpMapping.Refused refused = assertRefused("attributes", span);
        assertTrue(refused.message().contains("10003 attributes"), refused.message());
    }

    McpOtlpMapping.Refused assertRefused(String field, OtlpFixtures.SpanBuilder span) {
        McpOtlpMapping.Refused refused = assertInstanceOf(McpOtlpMapping.Refused.class, only(span));
        assertEquals(field, refused.field(), refused.message());
        return refused;
    }

    // audit log records

    ObjectNode audit(LogRecord record) {
        List<McpOtlpMapping.Mapped> mapped = mapping.logs(OtlpFixtures.logs(OtlpFixtures.resource("gateway-eu", "1.0.0"),
                record), null);
        McpOtlpMapping.Event event = assertInstanceOf(McpOtlpMapping.Event.class, mapped.get(0), mapped.get(0).toString());
        assertInstanceOf(ValidationOutcome.Accepted.class, validator.validate(event.json()),
                () -> validator.validate(event.json()).toString());
        return event.json();
    }

    @Test
    void auditAttributesBecomeAnAuditEvent() {
        ObjectNode event = audit(OtlpFixtures.log(START).attribute("audit.action", "tool.kill")
                .attribute("audit.actor", "oncall@example.com").attribute("audit.resource", "jira/delete_issue")
                .attribute("audit.decision", "allow").attribute("audit.reason", "INC-42").attribute("audit.policy", "bg-1")
                .attribute("audit.outcome", "done").attribute("audit.agent", "claude").attribute("server.address", "jira")
                .build());
        assertEquals("audit", event.get("kind").asText());
        assertEquals("tool.kill", event.get("action").asText());
        assertEquals("oncall@example.com", event.get("actor").asText());
        assertEquals("jira/delete_issue", event.get("resource").asText());
        assertEquals("allow", event.get("decision").asText());
        assertEquals("INC-42", event.get("reason").asText());
        assertEquals("bg-1", event.get("policy").asText());
        assertEquals("done", event.get("outcome").asText());
        assertEquals("claude", event.get("agent").asText());
        assertEquals("jira", event.get("server").asText());
        assertEquals("gateway-eu", event.get("source").asText());
        assertEquals("2026-11-25T10:15:30.123Z", event.get("ts").asText());
    }

    @Test
    void rawArgumentsAreDroppedAndOnlyTheirHashKept() {
        String arguments = "{\"issue\": \"JIRA-1\", \"force\": true}";
        for (String key : List.of("arguments", "audit.arguments", "gen_ai.tool.call.arguments")) {
            ObjectNode event = audit(OtlpFixtures.log(START).attribute("audit.action", "tools/call")
                    .attribute("audit.actor", "alice").attribute("audit.decision", "allow").attribute(key, arguments).build());
            assertEquals(ArgsHash.of(arguments), event.get("args_hash").asText(), key);
            assertFalse(event.toString().contains("JIRA-1"), "the raw arguments never leave the mapping: " + event);
        }
    }

    @Test
    void structuredArgumentsHashAsTheirJson() {
        AnyValue structured = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(OtlpFixtures.kv("force", AnyValue.newBuilder().setBoolValue(true).build()))
                .addValues(OtlpFixtures.kv("issue", AnyValue.newBuilder().setStringValue("JIRA-1").build()))).build();
        ObjectNode event = audit(OtlpFixtures.log(START).attribute("audit.action", "tools/call")
                .attribute("audit.actor", "alice").attribute("audit.decision", "deny").attribute("arguments", structured)
                .build());
        assertEquals(ArgsHash.of("{\"issue\":\"JIRA-1\",\"force\":true}"), event.get("args_hash").asText());
    }

    @Test
    void actorFallsBackToTheUserAndAGivenHashIsKept() {
        String hash = ArgsHash.of("{}");
        ObjectNode event = audit(OtlpFixtures.log(START).attribute("audit.action", "tools/call")
                .attribute("user.id", "carol").attribute("audit.decision", "allow").attribute("audit.args_hash", hash).build());
        assertEquals("carol", event.get("actor").asText());
        assertEquals(hash, event.get("args_hash").asText());
    }

    @Test
    void theSameRecordResentHasTheSameEventId() {
        LogRecord record = OtlpFixtures.log(START).attribute("audit.action", "tools/call").attribute("audit.actor", "a")
                .attribute("audit.decision", "allow").build();
        LogRecord other = record.toBuilder().setTimeUnixNano(record.getTimeUnixNano() + 1).build();
        assertEquals(audit(record).get("event_id"), audit(record).get("event_id"));
        assertNotEquals(audit(record).get("event_id"), audit(other).get("event_id"));
    }

    @Test
    void logRecordsWithoutAnAuditActionAreIgnoredAndBadArgumentsRefused() {
        List<McpOtlpMapping.Mapped> mapped = mapping.logs(OtlpFixtures.logs(OtlpFixtures.resource("g", null),
                OtlpFixtures.log(START).attribute("message", "hello").build(),
                OtlpFixtures.log(START).attribute("audit.action", "tools/call").attribute("arguments", "{not json").build(),
                OtlpFixtures.log(Instant.EPOCH).attribute("audit.action", "tools/call").build()), null);
        assertEquals("not_audit", assertInstanceOf(McpOtlpMapping.Ignored.class, mapped.get(0)).reason());
        assertEquals("arguments", assertInstanceOf(McpOtlpMapping.Refused.class, mapped.get(1)).field());
        assertEquals("time_unix_nano", assertInstanceOf(McpOtlpMapping.Refused.class, mapped.get(2)).field());
    }
}

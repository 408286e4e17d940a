package io.mcpslo.emitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.McpEvent;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.schemas.ValidationOutcome;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExchangeEventsTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123456Z");
    private static final Upstream JIRA = Upstream.server("jira").forUser("alice", "tracker").inSession("s-1");
    private static final ExchangeEvents EVENTS = new ExchangeEvents("gw-eu", Set.of("create_issue")::contains);

    private static Exchange toolCall(String tool, Map<String, Object> arguments, Exchange.End end, String revision) {
        return new Exchange(JIRA, "tools/call", new McpSchema.CallToolRequest(tool, arguments), AT, 12_500_000L, end,
                revision, "4.1.0", "claude-code/2.0");
    }

    private static CallEvent onlyCall(List<McpEvent> events) {
        assertEquals(1, events.size(), "one call event: " + events);
        return assertInstanceOf(CallEvent.class, events.get(0));
    }

    /** Every event the emitter makes must pass the collector's own validation. */
    private static List<McpEvent> valid(List<McpEvent> events) {
        var validator = new EventValidator(Clock.fixed(AT, java.time.ZoneOffset.UTC));
        for (McpEvent event : events) {
            assertInstanceOf(ValidationOutcome.Accepted.class, validator.validate(EventCodec.encode(event)),
                    () -> "refused: " + EventCodec.encode(event));
        }
        return events;
    }

    @Test
    void aToolThatAnswersIsErrorFailsOnTheToolSideWithTheAnswersSize() {
        var result = Map.of("content", List.of(Map.of("type", "text", "text", "no such project")), "isError", true);
        CallEvent call = onlyCall(valid(EVENTS.of(toolCall("search", Map.of("q", "x"),
                new Exchange.Result(result), "2025-11-25"))));
        assertEquals(Outcome.TOOL_ERROR, call.outcome());
        assertEquals("tool_error", call.errorType());
        assertNull(call.errorCode());
        assertEquals(EventCodec.MAPPER.valueToTree(result).toString().length(), call.responseBytes());
        assertEquals(12.5, call.durationMs());
        var envelope = call.envelope();
        assertEquals(List.of("gw-eu", "jira", "4.1.0", "search", "tools/call", "2025-11-25", "s-1", "alice", "tracker"),
                java.util.Arrays.asList(envelope.source(), envelope.server(), envelope.serverVersion(), envelope.tool(),
                        envelope.method(), envelope.protocolVersion(), envelope.sessionId(), envelope.user(),
                        envelope.team()));
        assertEquals(Instant.parse("2026-11-29T10:15:30.123Z"), envelope.ts(), "ms precision");
    }

    @Test
    void aSuccessfulCallIsOk() {
        CallEvent call = onlyCall(valid(EVENTS.of(toolCall("search", Map.of(),
                new Exchange.Result(Map.of("content", List.of())), "2025-11-25"))));
        assertEquals(Outcome.OK, call.outcome());
        assertNull(call.errorType());
    }

    @Test
    void invalidParamsIsTheToolsFaultBeforeRevision20251125AndATransportErrorFromIt() {
        CallEvent older = onlyCall(valid(EVENTS.of(toolCall("search", Map.of(), new Exchange.JsonRpcError(-32602),
                "2025-06-18"))));
        CallEvent newer = onlyCall(valid(EVENTS.of(toolCall("search", Map.of(), new Exchange.JsonRpcError(-32602),
                "2025-11-25"))));
        assertEquals(Outcome.TOOL_ERROR, older.outcome());
        assertEquals(Outcome.TRANSPORT_ERROR, newer.outcome());
        assertEquals(-32602, newer.errorCode());
        assertEquals("-32602", newer.errorType());
    }

    @Test
    void otherJsonRpcErrorsTimeoutsAndDisconnectsAreTransportErrors() {
        CallEvent notFound = onlyCall(valid(EVENTS.of(toolCall("search", Map.of(), new Exchange.JsonRpcError(-32601),
                "2025-06-18"))));
        CallEvent timeout = onlyCall(valid(EVENTS.of(toolCall("search", Map.of(), new Exchange.NoAnswer("timeout"),
                null))));
        assertEquals(Outcome.TRANSPORT_ERROR, notFound.outcome());
        assertEquals(-32601, notFound.errorCode());
        assertEquals(Outcome.TRANSPORT_ERROR, timeout.outcome());
        assertEquals("timeout", timeout.errorType());
        assertNull(timeout.responseBytes());
    }

    @Test
    void aMutatingToolIsAuditedWithTheCanonicalHashOfItsArgumentsAndNeverTheArgumentsThemselves() {
        var arguments = Map.<String, Object>of("project", "OPS", "title", "secret-title-42", "priority", 2.50);
        List<McpEvent> events = valid(EVENTS.of(toolCall("create_issue", arguments,
                new Exchange.Result(Map.of("content", List.of())), "2025-11-25")));
        assertEquals(2, events.size());
        AuditEvent audit = assertInstanceOf(AuditEvent.class, events.get(1));
        assertEquals(ArgsHash.of("{ \"title\": \"secret-title-42\", \"priority\": 2.5, \"project\": \"OPS\" }"),
                audit.argsHash());
        assertEquals("alice", audit.actor());
        assertEquals("claude-code/2.0", audit.agent());
        assertEquals("tools/call", audit.action());
        assertEquals("jira/create_issue", audit.resource());
        assertEquals("ok", audit.outcome());
        for (McpEvent event : events) {
            assertFalse(EventCodec.encode(event).toString().contains("secret-title-42"), "raw arguments sent");
        }
        assertEquals(1, EVENTS.of(toolCall("search", arguments, new Exchange.Result(Map.of()), null)).size(),
                "a tool not declared mutating is not audited");
    }

    @Test
    void aCallWithoutToolNamesItsMethodAndMeasuresTheCatalog() {
        var catalog = Map.of("tools", List.of(Map.of("name", "search", "description", "finds things")));
        CallEvent list = onlyCall(valid(EVENTS.of(new Exchange(JIRA, "tools/list", null, AT, 1_000_000L,
                new Exchange.Result(catalog), "2025-11-25", null, null))));
        assertNull(list.envelope().tool());
        assertEquals("tools/list", list.rollupTool());
        assertEquals(EventCodec.MAPPER.valueToTree(catalog).toString().length(), list.responseBytes());
    }
}

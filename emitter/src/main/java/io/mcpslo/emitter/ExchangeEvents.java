package io.mcpslo.emitter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.FailureLocus;
import io.mcpslo.schemas.McpEvent;
import io.mcpslo.schemas.Outcome;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Turns one observed exchange into the events of the v1 contract: always a {@code call}, and for a
 * {@code tools/call} of a mutating tool also an {@code audit} event carrying the arguments' hash (never the
 * arguments). The outcome follows {@link FailureLocus}, the one definition of the failure locus.
 */
final class ExchangeEvents {

    static final String TOOLS_CALL = "tools/call";

    private final String source;
    private final Predicate<String> mutatingTool;

    ExchangeEvents(String source, Predicate<String> mutatingTool) {
        this.source = source;
        this.mutatingTool = mutatingTool;
    }

    List<McpEvent> of(Exchange exchange) {
        JsonNode params = exchange.params() == null ? null : EventCodec.MAPPER.valueToTree(exchange.params());
        String tool = TOOLS_CALL.equals(exchange.method()) && params != null ? params.path("name").textValue() : null;
        Upstream upstream = exchange.upstream();
        var envelope = new EventEnvelope(UUID.randomUUID(), exchange.startedAt().truncatedTo(ChronoUnit.MILLIS),
                source, upstream.server(), exchange.serverVersion(), tool, exchange.method(),
                exchange.protocolVersion(), upstream.sessionId(), upstream.user(), upstream.team(), null, null);
        CallEvent call = call(envelope, exchange);
        List<McpEvent> events = new ArrayList<>(2);
        events.add(call);
        if (tool != null && mutatingTool.test(tool)) {
            JsonNode arguments = params.get("arguments");
            String argsHash = ArgsHash.of(arguments == null || arguments.isNull()
                    ? EventCodec.MAPPER.createObjectNode() : arguments);
            String actor = upstream.user() != null ? upstream.user() : source;
            events.add(new AuditEvent(withNewId(envelope), actor, exchange.agent(), TOOLS_CALL,
                    upstream.server() + "/" + tool, argsHash, AuditEvent.Decision.ALLOW, null,
                    call.outcome().wireName(), null));
        }
        return events;
    }

    private static CallEvent call(EventEnvelope envelope, Exchange exchange) {
        double durationMs = exchange.durationNanos() / 1_000_000.0;
        String revision = exchange.protocolVersion();
        return switch (exchange.end()) {
            case Exchange.Result result -> {
                JsonNode body = EventCodec.MAPPER.valueToTree(result.result());
                boolean isError = body != null && body.path("isError").asBoolean(false);
                Outcome outcome = FailureLocus.classify(isError ? FailureLocus.TOOL_ERROR_TYPE : null, null, null,
                        revision, false);
                yield new CallEvent(envelope, durationMs, outcome, null,
                        isError ? FailureLocus.TOOL_ERROR_TYPE : null, null, size(body));
            }
            case Exchange.JsonRpcError error -> new CallEvent(envelope, durationMs,
                    FailureLocus.classify(null, error.code(), null, revision, false), error.code(),
                    String.valueOf(error.code()), null, null);
            case Exchange.NoAnswer none -> new CallEvent(envelope, durationMs,
                    FailureLocus.classify(none.errorType(), null, null, revision, true), null, none.errorType(), null,
                    null);
        };
    }

    /** The result's size as JSON: for tools/list, the catalog every model call pays for (the context tax). */
    private static Long size(JsonNode body) {
        try {
            return (long) EventCodec.MAPPER.writeValueAsBytes(body).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a tree cannot fail", e);
        }
    }

    private static EventEnvelope withNewId(EventEnvelope envelope) {
        return new EventEnvelope(UUID.randomUUID(), envelope.ts(), envelope.source(), envelope.server(),
                envelope.serverVersion(), envelope.tool(), envelope.method(), envelope.protocolVersion(),
                envelope.sessionId(), envelope.user(), envelope.team(), envelope.traceId(), envelope.spanId());
    }
}

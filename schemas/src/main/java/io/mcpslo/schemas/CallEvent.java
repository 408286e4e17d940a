package io.mcpslo.schemas;

import java.util.Objects;

/** One MCP request: how long it took and how it ended. */
public record CallEvent(
        EventEnvelope envelope,
        double durationMs,
        Outcome outcome,
        Integer errorCode,
        String errorType,
        Integer retry,
        Long responseBytes) implements McpEvent {

    public CallEvent {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(outcome, "outcome");
        if (!(durationMs >= 0)) {
            throw new IllegalArgumentException("duration_ms must be >= 0, was " + durationMs);
        }
    }

    /** The name calls are rolled up under: the tool, or the method for calls that name no tool (tools/list). */
    public String rollupTool() {
        return envelope.tool() != null ? envelope.tool() : Objects.requireNonNullElse(envelope.method(), "");
    }
}

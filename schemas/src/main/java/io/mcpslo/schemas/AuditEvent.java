package io.mcpslo.schemas;

import java.util.Objects;

/** One security-relevant act; carries the arguments' hash, never the arguments. */
public record AuditEvent(
        EventEnvelope envelope,
        String actor,
        String action,
        String resource,
        String argsHash,
        Decision decision,
        String outcome,
        String reason) implements McpEvent {

    public AuditEvent {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(decision, "decision");
    }

    public enum Decision { ALLOW, DENY }
}

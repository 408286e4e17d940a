package io.mcpslo.schemas;

import java.util.Objects;

/**
 * One security-relevant act: who (actor, and the agent acting for them), what (action on a resource, with the
 * arguments' hash, never the arguments), what was decided by which policy, and how it ended. Break-glass acts
 * ({@link #BREAK_GLASS_ACTIONS}) must say why.
 */
public record AuditEvent(
        EventEnvelope envelope,
        String actor,
        String agent,
        String action,
        String resource,
        String argsHash,
        Decision decision,
        String policy,
        String outcome,
        String reason) implements McpEvent {

    /** Acts that take a server or tool out of (or back into) service, or cut sessions, during an incident. */
    public static final java.util.Set<String> BREAK_GLASS_ACTIONS =
            java.util.Set.of("server.disable", "tool.kill", "sessions.drain", "tool.enable");

    public AuditEvent {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(decision, "decision");
    }

    public boolean breakGlass() {
        return BREAK_GLASS_ACTIONS.contains(action);
    }

    public enum Decision { ALLOW, DENY }
}

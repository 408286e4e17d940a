package io.mcpslo.schemas;

/** One event of the v1 contract: a call (trace) or an audit record. */
public sealed interface McpEvent permits CallEvent, AuditEvent {

    EventEnvelope envelope();

    default String partitionKey() {
        return envelope().partitionKey();
    }
}

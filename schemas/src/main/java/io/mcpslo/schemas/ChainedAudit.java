package io.mcpslo.schemas;

import java.time.Instant;
import java.util.Objects;

/** An audit event with its place in the hash chain and when it was chained. */
public record ChainedAudit(AuditEvent event, AuditChain.Link link, Instant chainedAt) {

    public ChainedAudit {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(chainedAt, "chainedAt");
    }
}

package io.mcpslo.storage.calls;

import io.mcpslo.engine.slo.SloScope;
import java.time.Instant;
import java.util.Objects;

/** The bad calls of one SLO's scope, by its SLI's rule, with event time in [from, to). */
public record LedgerQuery(SloScope scope, BadCalls rule, Instant from, Instant to) {

    public LedgerQuery {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(rule, "rule");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }
}

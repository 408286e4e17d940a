package io.mcpslo.engine.alert;

import io.mcpslo.engine.slo.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change of an alert's state, as recorded in the alert history and sent to receivers (FIRING and RESOLVED
 * are notified; PENDING and a pending alert going back to INACTIVE are only recorded).
 */
public record AlertTransition(String sloId, String team, AlertKind kind, Severity severity, AlertStatus from,
                              AlertStatus to, Instant at, Instant incidentStart, String dedupKey, String summary,
                              Map<String, Double> burnRates, double budgetRemainingFraction, String rule) {

    public AlertTransition {
        Objects.requireNonNull(sloId, "sloId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dedupKey, "dedupKey");
        burnRates = Map.copyOf(burnRates);
        rule = rule == null ? "" : rule;
    }

    /** Whether receivers hear of this transition. */
    public boolean notifies() {
        return to == AlertStatus.FIRING || (to == AlertStatus.RESOLVED && from == AlertStatus.FIRING);
    }
}

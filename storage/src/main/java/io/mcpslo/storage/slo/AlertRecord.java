package io.mcpslo.storage.slo;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.slo.Severity;
import java.time.Instant;
import java.util.Map;

/** One stored alert transition, with its acknowledgement when there is one ({@code ackedBy} empty otherwise). */
public record AlertRecord(String dedupKey, String sloId, String team, AlertKind kind, Severity severity,
                          AlertStatus from, AlertStatus to, Instant at, Instant incidentStart, String summary, String rule,
                          double budgetRemaining, Map<String, Double> burnRates, String ackedBy, Instant ackedAt) {

    public AlertRecord {
        burnRates = Map.copyOf(burnRates);
    }
}

package io.mcpslo.storage.slo;

import java.time.Instant;
import java.util.Map;

/** A stored SLO status snapshot as the API shows it. {@code sli} and {@code timeToExhaustionSeconds} may be null. */
public record SloSnapshot(String sloId, String team, Instant at, Instant windowStart, Instant windowEnd, Double sli,
                          double objective, long good, long bad, double budgetRemaining, double budgetConsumed,
                          Long timeToExhaustionSeconds, Map<String, Double> burnRates, boolean page, boolean ticket,
                          boolean budgetExhausted) {

    public SloSnapshot {
        burnRates = Map.copyOf(burnRates);
    }
}

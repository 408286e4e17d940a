package io.mcpslo.query.calls;

import java.time.Instant;
import java.util.Optional;

/** What a ledger's range holds: the calls its SLI counts, the bad ones, and when the first and last bad one came. */
public record LedgerTotals(long countedCalls, long badCalls, Optional<Instant> firstBad, Optional<Instant> lastBad) {
}

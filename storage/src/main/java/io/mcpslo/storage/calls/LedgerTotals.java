package io.mcpslo.storage.calls;

import java.time.Instant;
import java.util.Optional;

/**
 * What a ledger's range holds: the calls its SLI counts, the bad ones, and when the first and last bad one came; for a
 * timeslice SLI also the minutes with counted calls and the bad ones among them (both 0 for a per-call SLI).
 */
public record LedgerTotals(long countedCalls, long badCalls, Optional<Instant> firstBad, Optional<Instant> lastBad,
                           long countedMinutes, long badMinutes) {
}

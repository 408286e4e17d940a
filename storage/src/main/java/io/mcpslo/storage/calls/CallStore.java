package io.mcpslo.storage.calls;

import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.audit.AuditStore.ExportFormat;
import io.mcpslo.schemas.Outcome;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Raw calls as on-call engineers search them, and the budget ledger of an SLO; each call counted once. */
public interface CallStore {

    /** Calls matching the filter, newest first, after the cursor; each row is its columns by name. */
    List<Map<String, Object>> page(CallFilter filter, Optional<CallCursor> after, int limit);

    /** The first {@code limit} calls matching the filter, oldest first (a session or trace as it happened). */
    List<Map<String, Object>> oldestFirst(CallFilter filter, int limit);

    long count(CallFilter filter);

    /** The matching calls as CSV (with a header line) or NDJSON, newest first, streamed; the caller closes it. */
    InputStream export(CallFilter filter, ExportFormat format);

    LedgerTotals ledgerTotals(LedgerQuery query);

    /** For each of {@link LedgerGroup#DIMENSIONS}, its values with the most bad calls, at most {@code perDimension}. */
    List<LedgerGroup> ledgerGroups(LedgerQuery query, int perDimension);

    /** Calls of the scope with a {@code counted} outcome in the minute rollups of [from, to): an SLO window's events. */
    long rolledUpCalls(SloScope scope, Set<Outcome> counted, Instant from, Instant to);

    /** Minutes of [from, to) in which the scope had a call with a {@code counted} outcome: a timeslice SLO's slices. */
    long rolledUpMinutes(SloScope scope, Set<Outcome> counted, Instant from, Instant to);
}

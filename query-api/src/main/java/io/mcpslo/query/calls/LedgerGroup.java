package io.mcpslo.query.calls;

import java.time.Instant;
import java.util.List;

/**
 * The bad calls that share one value of one dimension ({@link #DIMENSIONS}, named as the call-search parameters);
 * {@code value} is null for calls without one (no error code, say).
 */
public record LedgerGroup(String dimension, String value, long badCalls, Instant firstBad, Instant lastBad) {

    public static final List<String> DIMENSIONS = List.of("tool", "version", "error_code", "error_type", "source",
            "user", "session");
}

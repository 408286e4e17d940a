package io.mcpslo.storage.calls;

import java.time.Instant;
import java.util.List;

/**
 * The bad calls that share one value of one dimension ({@link #DIMENSIONS}, named as the call-search parameters);
 * {@code value} is null for calls without one (no error code, say). For a timeslice SLI, {@code badMinutes} is how many
 * bad minutes these calls took part in, and {@code badMinuteShare} their part of those minutes: each bad minute counts
 * one, shared equally among the bad calls in it, so the groups of one dimension add up to the bad minutes (both 0 for
 * a per-call SLI).
 */
public record LedgerGroup(String dimension, String value, long badCalls, Instant firstBad, Instant lastBad,
                          long badMinutes, double badMinuteShare) {

    public static final List<String> DIMENSIONS = List.of("tool", "version", "error_code", "error_type", "source",
            "user", "session");
}

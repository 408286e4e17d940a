package io.mcpslo.storage.calls;

import io.mcpslo.schemas.Outcome;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which calls to list: exact matches on any of {@link #FIELDS} (columns of the calls table), any of
 * {@code outcomes} (all when empty), an error code, a least duration, event time in [from, to), and the servers the
 * reader may see ({@code visibleServers} empty: all).
 */
public record CallFilter(Map<String, String> equals, Set<Outcome> outcomes, Optional<Integer> errorCode,
                         Optional<Double> minMs, Optional<Set<String>> visibleServers, Instant from, Instant to) {

    /** Query parameter → column. */
    public static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("server", "server"),
            Map.entry("tool", "tool"), Map.entry("version", "server_version"), Map.entry("session", "session_id"),
            Map.entry("user", "user"), Map.entry("team", "team"), Map.entry("trace", "trace_id"),
            Map.entry("source", "source"), Map.entry("error_type", "error_type"));

    public CallFilter {
        equals = Map.copyOf(equals);
        outcomes = Set.copyOf(outcomes);
        visibleServers = visibleServers.map(Set::copyOf);
        for (String column : equals.keySet()) {
            if (!FIELDS.containsValue(column)) {
                throw new IllegalArgumentException("not a filterable column: " + column);
            }
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** Every call of one session or trace ({@code column} session_id or trace_id) in a range. */
    public static CallFilter correlated(String column, String key, Optional<Set<String>> visibleServers, Instant from,
                                        Instant to) {
        return new CallFilter(Map.of(column, key), Set.of(), Optional.empty(), Optional.empty(), visibleServers, from, to);
    }
}

package io.mcpslo.storage.audit;

import java.time.Instant;
import java.util.Map;

/**
 * What an auditor asks for: exact matches on any of {@link #FIELDS} (column names of the audit log), in a time
 * range of event time [from, to).
 */
public record AuditFilter(Map<String, String> equals, Instant from, Instant to) {

    /** Query parameter → column. */
    public static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("actor", "actor"),
            Map.entry("agent", "agent"), Map.entry("team", "team"), Map.entry("action", "action"),
            Map.entry("resource", "resource"), Map.entry("server", "server"), Map.entry("tool", "tool"),
            Map.entry("decision", "decision"), Map.entry("outcome", "outcome"), Map.entry("policy", "policy"),
            Map.entry("session", "session_id"), Map.entry("trace", "trace_id"), Map.entry("source", "source"),
            Map.entry("user", "user"));

    public AuditFilter {
        equals = Map.copyOf(equals);
        for (String column : equals.keySet()) {
            if (!FIELDS.containsValue(column)) {
                throw new IllegalArgumentException("not a filterable column: " + column);
            }
        }
    }
}

package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.calls.CallFilter;
import java.util.List;

/**
 * The copies of the raw calls and which searches each can answer. Each is sorted for one kind of question, and a
 * search reads the one whose sort key its filter narrows first ({@link #forFilter}); every copy that can answer a
 * filter gives the same calls.
 */
public enum CallTable {
    /**
     * Sorted by (kind of key, key, time): the times of one session's, user's or trace's calls, whose rows are read
     * from {@link #TIME}.
     */
    CORRELATION("call_correlation_times"),
    /** The calls themselves, sorted by (server, tool, time): a server's or a tool's calls. */
    SERVER_TOOL("calls"),
    /**
     * Sorted by time: fleet-wide searches, by error code, error type, outcome, gateway, team, duration or nothing — a
     * search reads its time range only, and the page's calls lie side by side.
     */
    TIME("calls_by_time");

    /** Correlation columns, most selective first: the one the correlation copy is read by. */
    static final List<String> CORRELATION_COLUMNS = List.of("trace_id", "session_id", "user");

    private final String table;

    CallTable(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** The copy that answers the filter reading least: by its correlation key, else its server, else by time. */
    public static CallTable forFilter(CallFilter filter) {
        if (CORRELATION.canAnswer(filter)) {
            return CORRELATION;
        }
        // a named server narrows `calls` to 1/servers of the day; a time range alone narrows only the time-first copy
        return filter.equals().containsKey("server") ? SERVER_TOOL : TIME;
    }

    /** Whether this copy can answer the filter: the correlation copy only by one of its keys; the others any. */
    public boolean canAnswer(CallFilter filter) {
        return this != CORRELATION || CORRELATION_COLUMNS.stream().anyMatch(filter.equals()::containsKey);
    }
}

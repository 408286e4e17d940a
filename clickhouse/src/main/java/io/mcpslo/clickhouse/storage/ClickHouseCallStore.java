package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.calls.BadCalls;
import io.mcpslo.storage.calls.CallCursor;
import io.mcpslo.storage.calls.CallFilter;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.storage.calls.LedgerGroup;
import io.mcpslo.storage.calls.LedgerQuery;
import io.mcpslo.storage.calls.LedgerTotals;
import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.CsvCells;
import io.mcpslo.clickhouse.Keyset;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.audit.AuditStore.ExportFormat;
import io.mcpslo.schemas.Outcome;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Calls in ClickHouse, each search read from the copy sorted for it ({@link CallTable#forFilter}): `calls` (sorted by
 * server, tool, time) serves searches by server and tool and the ledger; `call_correlation_times` (sorted by session,
 * user or trace, then time) finds the calls of those lookups, whose rows are read from `calls_by_time`; that copy,
 * time first, also serves fleet-wide searches. A call stored twice (a replay, not yet merged away) is listed and
 * counted once: reads keep one row per event id ({@code LIMIT 1 BY}, which ClickHouse runs on all cores, where
 * FINAL merges on one and took seconds for an hour of 10 million calls; or, in time order, where a replay's rows lie side by side, by skipping the repeats). Every value from
 * a caller enters SQL as an escaped literal.
 */
public final class ClickHouseCallStore implements CallStore {

    private static final List<String> TEXT_COLUMNS = List.of("source", "server", "server_version", "tool", "method",
            "protocol_version", "session_id", "user", "team", "trace_id", "span_id", "error_type");
    private static final String COLUMNS = "event_id, ts_ms, " + String.join(", ", TEXT_COLUMNS)
            + ", duration_ms, outcome, error_code, retry, response_bytes";
    private static final String NEWEST_FIRST = " ORDER BY ts_ms DESC, event_id DESC";
    private static final String ONCE = " LIMIT 1 BY event_id";
    /** Correlation column → its key kind in call_correlation_times. */
    private static final Map<String, String> CORRELATION_KINDS = Map.of("trace_id", "trace", "session_id", "session",
            "user", "user");
    /** Ledger dimension → the column (or expression) it groups by. */
    private static final Map<String, String> DIMENSION_COLUMNS = Map.of("tool", "tool", "version", "server_version",
            "error_code", "if(isNull(error_code), '', toString(error_code))", "error_type", "error_type",
            "source", "source", "user", "user", "session", "session_id");

    private final ClickHouseClient client;
    private final Function<CallFilter, CallTable> planner;

    public ClickHouseCallStore(ClickHouseClient client) {
        this(client, CallTable::forFilter);
    }

    private ClickHouseCallStore(ClickHouseClient client, Function<CallFilter, CallTable> planner) {
        this.client = client;
        this.planner = planner;
    }

    /** A store that answers every search from one copy (refusing a filter that copy cannot answer): for proving that
     * every copy gives the same calls. */
    public static ClickHouseCallStore readingOnly(ClickHouseClient client, CallTable table) {
        return new ClickHouseCallStore(client, filter -> {
            if (!table.canAnswer(filter)) {
                throw new IllegalArgumentException(table + " cannot answer " + filter);
            }
            return table;
        });
    }

    private String name(CallTable table) {
        return client.database() + "." + table.table();
    }

    /** The table whose rows a search of this copy reads: the correlation copy holds keys, its rows are by time. */
    private String rowsOf(CallTable table) {
        return name(table == CallTable.CORRELATION ? CallTable.TIME : table);
    }

    /** The rows' table and the start of its WHERE (for the correlation copy, the calls its key names). */
    private String from(CallTable table, CallFilter filter) {
        return rowsOf(table) + " WHERE " + keyCondition(table, filter);
    }

    /**
     * For the correlation copy, the times of the key's calls in the filter's range: the first column of the time-first
     * copy's sort key, so ClickHouse reads there only the granules holding them; the filter's own condition on the key
     * column then keeps just the key's calls among those at the same times.
     */
    private String keyCondition(CallTable table, CallFilter filter) {
        return keyCondition(table, filter, filter.to());
    }

    /** The same, for the part of the filter's range before {@code to} (a later page's keys are not read). */
    private String keyCondition(CallTable table, CallFilter filter, Instant to) {
        if (table != CallTable.CORRELATION) {
            return "";
        }
        String column = CallTable.CORRELATION_COLUMNS.stream().filter(filter.equals()::containsKey).findFirst()
                .orElseThrow();
        return "ts_ms IN (SELECT ts_ms FROM " + name(table) + " WHERE key_kind = '" + CORRELATION_KINDS.get(column)
                + "' AND key_hash = cityHash64(" + SqlLiteral.string(filter.equals().get(column)) + ") AND ts_ms >= "
                + filter.from().toEpochMilli() + " AND ts_ms < " + to.toEpochMilli() + ") AND ";
    }

    private static String where(CallFilter filter) {
        return where(filter, filter.from(), filter.to());
    }

    /** The filter's conditions over [from, to), a part of its range. */
    private static String where(CallFilter filter, Instant from, Instant to) {
        StringBuilder where = new StringBuilder(timeRange(from, to));
        filter.equals().forEach((column, value) -> where.append(" AND ").append(SqlLiteral.identifier(column))
                .append(" = ").append(SqlLiteral.string(value)));
        if (!filter.outcomes().isEmpty()) {
            where.append(" AND outcome IN (").append(outcomes(filter.outcomes())).append(")");
        }
        filter.errorCode().ifPresent(code -> where.append(" AND error_code = ").append(code));
        filter.minMs().ifPresent(ms -> where.append(" AND duration_ms >= ").append(ms));
        filter.visibleServers().ifPresent(servers -> where.append(" AND ").append(servers.isEmpty() ? "0"
                : "server IN (" + String.join(", ", servers.stream().sorted().map(SqlLiteral::string).toList()) + ")"));
        return where.toString();
    }

    /** Whole seconds for the partition and index, then milliseconds for the exact bounds. */
    private static String timeRange(Instant from, Instant to) {
        return "ts >= toDateTime(" + from.getEpochSecond() + ") AND ts <= toDateTime(" + to.getEpochSecond()
                + ") AND ts_ms >= " + from.toEpochMilli() + " AND ts_ms < " + to.toEpochMilli();
    }

    private static String outcomes(Set<Outcome> outcomes) {
        return String.join(", ", outcomes.stream().sorted().map(o -> SqlLiteral.string(o.wireName())).toList());
    }

    @Override
    public List<Map<String, Object>> page(CallFilter filter, Optional<CallCursor> after, int limit) {
        String keyset = after.map(c -> " AND " + Keyset.olderThan(List.of("ts_ms", "event_id"),
                List.of(Long.toString(c.tsMs()), "toUUID(" + SqlLiteral.string(c.eventId().toString()) + ")")))
                .orElse("");
        CallTable table = planner.apply(filter);
        if (table == CallTable.TIME) {
            return newestByTime(filter, after, keyset, limit);
        }
        String page = NEWEST_FIRST + ONCE + " LIMIT " + limit;
        Instant pageEnd = after.map(c -> Instant.ofEpochMilli(c.tsMs() + 1)).filter(end -> end.isBefore(filter.to()))
                .orElse(filter.to());
        String where = keyCondition(table, filter, pageEnd) + where(filter) + keyset;
        // the page's ids from the sort columns alone, then the whole rows of just those: sorting every column of an
        // hour's calls to keep a hundred of them is what made a search without a server slow
        return rows(client.query("SELECT " + COLUMNS + " FROM " + rowsOf(table) + " PREWHERE event_id IN (SELECT"
                + " event_id FROM " + rowsOf(table) + " WHERE " + where + page + ") WHERE " + where + page));
    }

    /**
     * A page from the time-first copy: its newest ids first, then the whole rows of just those, from the few granules
     * between the page's first and last millisecond. The ids are looked for in the newest sixteenth of the range left
     * first — a search that matches often (an error code during an incident, no filter at all) fills its page there,
     * reading a sixteenth of the rows — and in the rest of the range only if the page is not full.
     */
    private List<Map<String, Object>> newestByTime(CallFilter filter, Optional<CallCursor> after, String keyset,
                                                   int limit) {
        Instant to = after.map(c -> Instant.ofEpochMilli(c.tsMs() + 1)).filter(end -> end.isBefore(filter.to()))
                .orElse(filter.to());
        if (!filter.from().isBefore(to)) {
            return List.of();
        }
        Instant split = to.minusMillis(Duration.between(filter.from(), to).toMillis() / 16);
        List<IdAt> ids = new ArrayList<>();
        if (split.isAfter(filter.from())) {
            ids.addAll(newestIds(where(filter, split, to) + keyset, limit));
        }
        if (ids.size() < limit) {
            ids.addAll(newestIds(where(filter, filter.from(), split.isAfter(filter.from()) ? split : to) + keyset,
                    limit - ids.size()));
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        return rows(client.query("SELECT " + COLUMNS + " FROM " + name(CallTable.TIME) + " WHERE "
                + timeRange(Instant.ofEpochMilli(ids.getLast().tsMs()), Instant.ofEpochMilli(ids.getFirst().tsMs() + 1))
                + " AND event_id IN (" + String.join(", ", ids.stream().map(id -> "toUUID(" + SqlLiteral.string(id.id())
                + ")").toList()) + ")" + NEWEST_FIRST + ONCE));
    }

    private record IdAt(String id, long tsMs) {
    }

    /**
     * The newest {@code limit} distinct ids matching {@code where} in the time-first copy. No LIMIT BY, which made
     * ClickHouse sort the whole range where ORDER BY … LIMIT keeps only the top rows: a replay's repeats are skipped
     * here (in this order a call's rows lie side by side), and more rows asked for while repeats leave the page short.
     */
    private List<IdAt> newestIds(String where, int limit) {
        for (int asked = limit + 16; ; asked *= 4) {
            List<JsonNode> found = client.query("SELECT event_id, ts_ms FROM " + name(CallTable.TIME) + " WHERE " + where
                    + NEWEST_FIRST + " LIMIT " + asked);
            List<IdAt> ids = new ArrayList<>();
            for (JsonNode row : found) {
                String id = row.get("event_id").asText();
                if (ids.size() < limit && (ids.isEmpty() || !ids.getLast().id().equals(id))) {
                    ids.add(new IdAt(id, row.get("ts_ms").asLong()));
                }
            }
            if (ids.size() == limit || found.size() < asked) {
                return ids;
            }
        }
    }

    @Override
    public List<Map<String, Object>> oldestFirst(CallFilter filter, int limit) {
        return rows(client.query("SELECT " + COLUMNS + " FROM " + from(planner.apply(filter), filter) + where(filter)
                + " ORDER BY ts_ms, event_id" + ONCE + " LIMIT " + limit));
    }

    private static List<Map<String, Object>> rows(List<JsonNode> result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : result) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("event_id", row.get("event_id").asText());
            out.put("ts", Instant.ofEpochMilli(row.get("ts_ms").asLong()).toString());
            out.put("ts_ms", row.get("ts_ms").asLong());
            for (String column : TEXT_COLUMNS) {
                out.put(column, row.get(column).asText());
            }
            out.put("duration_ms", row.get("duration_ms").asDouble());
            out.put("outcome", row.get("outcome").asText());
            out.put("error_code", row.get("error_code").isNull() ? null : row.get("error_code").asInt());
            out.put("retry", row.get("retry").asInt());
            out.put("response_bytes", row.get("response_bytes").isNull() ? null : row.get("response_bytes").asLong());
            rows.add(out);
        }
        return rows;
    }

    @Override
    public long count(CallFilter filter) {
        return client.query("SELECT uniqExact(event_id) AS n FROM " + from(planner.apply(filter), filter) + where(filter))
                .get(0).get("n").asLong();
    }

    @Override
    public InputStream export(CallFilter filter, ExportFormat format) {
        // FINAL here: it merges in sort-key order and streams, where LIMIT BY would hold every id of the export
        CallTable table = planner.apply(filter);
        String sql = "SELECT toString(toDateTime(intDiv(ts_ms, 1000))) AS time_utc, " + COLUMNS + " FROM "
                + rowsOf(table) + " FINAL WHERE " + keyCondition(table, filter) + where(filter) + NEWEST_FIRST;
        // neutralised outside the filtering query: ClickHouse would read a WHERE on server as one on the alias
        return client.queryStream(format == ExportFormat.CSV
                ? "SELECT time_utc, event_id, ts_ms, " + String.join(", ", TEXT_COLUMNS.stream()
                        .map(CsvCells::neutralised).toList()) + ", duration_ms, outcome, error_code, retry, response_bytes"
                        + " FROM (" + sql + ")" + NEWEST_FIRST + " FORMAT CSVWithNames"
                : sql + " FORMAT JSONEachRow");
    }

    /** The SLO's scope, its tool matched against {@code toolColumn}. */
    private static String scope(SloScope scope, String toolColumn) {
        StringBuilder where = new StringBuilder();
        if (scope.server() != null) {
            where.append(" AND server = ").append(SqlLiteral.string(scope.server()));
        }
        if (scope.tool() != null) {
            where.append(" AND ").append(toolColumn).append(" = ").append(SqlLiteral.string(scope.tool()));
        }
        if (scope.serverVersion() != null) {
            where.append(" AND server_version = ").append(SqlLiteral.string(scope.serverVersion()));
        }
        return where.toString();
    }

    private static String bad(BadCalls rule) {
        List<String> parts = new ArrayList<>();
        if (!rule.bad().isEmpty()) {
            parts.add("outcome IN (" + outcomes(rule.bad()) + ")");
        }
        rule.overMs().ifPresent(ms -> parts.add("duration_ms > " + ms));
        return parts.isEmpty() ? "0" : "(" + String.join(" OR ", parts) + ")";
    }

    /** The calls the SLO counts in the range, each once, with the columns the ledger reads. */
    private String counted(LedgerQuery query, String alsoWhere) {
        return "(SELECT ts_ms, outcome, duration_ms, tool, server_version, error_code, error_type, source, user,"
                + " session_id FROM " + client.database() + ".calls WHERE " + timeRange(query.from(), query.to())
                // calls without a tool roll up (and are scoped) under their method, as in the rollups
                + scope(query.scope(), "if(tool = '', method, tool)")
                + " AND outcome IN (" + outcomes(query.rule().valid()) + ")" + alsoWhere + ONCE + ")";
    }

    /** Each minute of the range with counted calls: its bad calls and whether it is a bad minute of the SLI. */
    private String minutes(LedgerQuery query) {
        String bad = bad(query.rule());
        String badMinute = query.rule().badMinute().map(rule -> switch (rule) {
            case BadCalls.GoodShareBelow slice -> "(count() - countIf(" + bad + ")) / count() < " + slice.sliceTarget();
            case BadCalls.PercentileOver percentile -> "quantileExact(" + percentile.percentile() + ")(duration_ms) > "
                    + percentile.thresholdMs();
        }).orElse("0");
        return "(SELECT toStartOfMinute(toDateTime(intDiv(ts_ms, 1000))) AS minute, countIf(" + bad + ") AS minute_bad,"
                + " " + badMinute + " AS bad_minute FROM " + counted(query, "") + " GROUP BY minute)";
    }

    @Override
    public LedgerTotals ledgerTotals(LedgerQuery query) {
        String bad = bad(query.rule());
        JsonNode row = client.query("SELECT count() AS counted, countIf(" + bad + ") AS bad, minIf(ts_ms, " + bad
                + ") AS first_ms, maxIf(ts_ms, " + bad + ") AS last_ms FROM " + counted(query, "")).get(0);
        long badCalls = row.get("bad").asLong();
        long countedMinutes = 0;
        long badMinutes = 0;
        if (!query.rule().perCall()) {
            JsonNode minutes = client.query("SELECT count() AS counted, countIf(bad_minute) AS bad FROM "
                    + minutes(query)).get(0);
            countedMinutes = minutes.get("counted").asLong();
            badMinutes = minutes.get("bad").asLong();
        }
        return new LedgerTotals(row.get("counted").asLong(), badCalls,
                badCalls == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(row.get("first_ms").asLong())),
                badCalls == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(row.get("last_ms").asLong())),
                countedMinutes, badMinutes);
    }

    @Override
    public List<LedgerGroup> ledgerGroups(LedgerQuery query, int perDimension) {
        // one pass over the bad calls: each is fanned out to one row per dimension, then grouped
        String pairs = String.join(", ", LedgerGroup.DIMENSIONS.stream()
                .map(d -> "tuple(" + SqlLiteral.string(d) + ", " + DIMENSION_COLUMNS.get(d) + ")").toList());
        String badCalls = counted(query, " AND " + bad(query.rule()));
        String minuteShares = "0 AS bad_minutes, 0 AS minute_share";
        if (!query.rule().perCall()) {
            // a bad minute counts one, shared equally among its bad calls; a bad call in a good minute burned nothing
            badCalls = "(SELECT *, toStartOfMinute(toDateTime(intDiv(ts_ms, 1000))) AS minute FROM " + badCalls
                    + " ANY LEFT JOIN (SELECT minute, minute_bad FROM " + minutes(query) + " WHERE bad_minute)"
                    + " USING minute)";
            minuteShares = "uniqExactIf(minute, minute_bad > 0) AS bad_minutes,"
                    + " sumIf(1 / minute_bad, minute_bad > 0) AS minute_share";
        }
        String sql = "SELECT pair.1 AS dimension, pair.2 AS value, count() AS bad, min(ts_ms) AS first_ms,"
                + " max(ts_ms) AS last_ms, " + minuteShares + " FROM " + badCalls
                + " ARRAY JOIN [" + pairs + "] AS pair GROUP BY dimension, value"
                + " ORDER BY dimension, minute_share DESC, bad DESC, value LIMIT " + perDimension + " BY dimension";
        return client.query(sql).stream().map(row -> new LedgerGroup(row.get("dimension").asText(),
                row.get("value").asText().isEmpty() ? null : row.get("value").asText(), row.get("bad").asLong(),
                Instant.ofEpochMilli(row.get("first_ms").asLong()), Instant.ofEpochMilli(row.get("last_ms").asLong()),
                row.get("bad_minutes").asLong(), row.get("minute_share").asDouble())).toList();
    }

    @Override
    public long rolledUpMinutes(SloScope scope, Set<Outcome> counted, Instant from, Instant to) {
        String columns = String.join(" + ", counted.stream().sorted().map(Outcome::wireName).toList());
        return client.query("SELECT uniqExactIf(window_start, " + columns + " > 0) AS n FROM " + client.database()
                + ".call_rollups_1m FINAL WHERE window_start >= toDateTime(" + from.getEpochSecond()
                + ") AND window_start < toDateTime(" + to.getEpochSecond() + ")" + scope(scope, "tool")).get(0).get("n")
                .asLong();
    }

    @Override
    public long rolledUpCalls(SloScope scope, Set<Outcome> counted, Instant from, Instant to) {
        String columns = String.join(" + ", counted.stream().sorted().map(o -> "sum(" + o.wireName() + ")").toList());
        return client.query("SELECT " + columns + " AS n FROM " + client.database() + ".call_rollups_1m FINAL"
                + " WHERE window_start >= toDateTime(" + from.getEpochSecond() + ") AND window_start < toDateTime("
                + to.getEpochSecond() + ")" + scope(scope, "tool")).get(0).get("n").asLong();
    }
}

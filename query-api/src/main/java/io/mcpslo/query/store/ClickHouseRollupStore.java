package io.mcpslo.query.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.sketch.SketchBins;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rollups from ClickHouse. FINAL collapses re-emitted windows to their latest revision before summing, and
 * sumMap merges the sketches' bins, so a percentile over many minutes is computed from the merged sketch.
 */
public final class ClickHouseRollupStore implements RollupStore {

    private final ClickHouseClient client;

    public ClickHouseRollupStore(ClickHouseClient client) {
        this.client = client;
    }

    @Override
    public List<ToolVersion> byTool(RollupQuery query) {
        List<ToolVersion> tools = new ArrayList<>();
        for (JsonNode row : merged(query, "tool, server_version", "tool, server_version", " LIMIT 1000")) {
            tools.add(new ToolVersion(row.get("tool").asText(), row.get("server_version").asText(),
                    bucket(query.from(), row)));
        }
        return tools;
    }

    @Override
    public List<RollupBucket> buckets(RollupQuery query) {
        String bucket = query.step()
                .map(step -> "intDiv(toUInt32(window_start), " + step.toSeconds() + ") * " + step.toSeconds())
                .orElse(String.valueOf(query.from().getEpochSecond()));
        List<RollupBucket> buckets = new ArrayList<>();
        for (JsonNode row : merged(query, "toUInt64(" + bucket + ") AS bucket", "bucket", "")) {
            buckets.add(bucket(Instant.ofEpochSecond(row.get("bucket").asLong()), row));
        }
        return buckets;
    }

    @Override
    public List<CallSample> recentCalls(RollupQuery query, Set<String> outcomes, int limit) {
        List<CallSample> calls = new ArrayList<>();
        for (JsonNode row : client.query("SELECT ts_ms, server, tool, server_version, method, toString(outcome) AS"
                + " outcome, duration_ms, error_code, error_type, session_id, trace_id, span_id"
                + " FROM " + client.database() + ".calls FINAL"
                + where(query, "ts")
                + (outcomes.isEmpty() ? "" : " AND toString(outcome) IN ("
                        + String.join(", ", outcomes.stream().sorted().map(SqlLiteral::string).toList()) + ")")
                + " ORDER BY ts_ms DESC, event_id LIMIT " + limit)) {
            calls.add(new CallSample(Instant.ofEpochMilli(row.get("ts_ms").asLong()), row.get("server").asText(),
                    row.get("tool").asText(), row.get("server_version").asText(), row.get("method").asText(),
                    row.get("outcome").asText(), row.get("duration_ms").asDouble(),
                    row.get("error_code").isNull() ? null : row.get("error_code").asInt(),
                    row.get("error_type").asText(), row.get("session_id").asText(), row.get("trace_id").asText(),
                    row.get("span_id").asText()));
        }
        return calls;
    }

    /** Counts summed and sketches merged per group of the query's rollups. */
    private List<JsonNode> merged(RollupQuery query, String groupColumns, String group, String limit) {
        return client.query("SELECT " + groupColumns + ","
                + " sum(ok) AS ok, sum(tool_error) AS tool_error, sum(transport_error) AS transport_error,"
                + " sum(denied) AS denied, sum(rate_limited) AS rate_limited,"
                + " sum(latency_zero_count) AS zero_count, sumMap(latency_bins, latency_counts) AS bins"
                + " FROM " + client.database() + ".call_rollups_1m FINAL"
                + where(query, "window_start")
                + " GROUP BY " + group + " ORDER BY " + group + limit);
    }

    /** The query's time range on {@code timeColumn}, its filters and the servers its token may read. */
    private static String where(RollupQuery query, String timeColumn) {
        return " WHERE " + timeColumn + " >= toDateTime(" + query.from().getEpochSecond() + ")"
                + " AND " + timeColumn + " < toDateTime(" + query.to().getEpochSecond() + ")"
                + filter("server", query.server()) + filter("tool", query.tool())
                + filter("server_version", query.version())
                + query.servers().map(ClickHouseRollupStore::within).orElse("");
    }

    private static RollupBucket bucket(Instant start, JsonNode row) {
        var counts = new OutcomeCounts(row.get("ok").asLong(), row.get("tool_error").asLong(),
                row.get("transport_error").asLong(), row.get("denied").asLong(), row.get("rate_limited").asLong());
        JsonNode bins = row.get("bins");
        int[] indexes = new int[bins.get(0).size()];
        long[] binCounts = new long[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = bins.get(0).get(i).asInt();
            binCounts[i] = bins.get(1).get(i).asLong();
        }
        return new RollupBucket(start, counts, new SketchBins(indexes, binCounts, row.get("zero_count").asLong()));
    }

    private static String within(Set<String> servers) {
        return servers.isEmpty() ? " AND 0" : " AND server IN ("
                + String.join(", ", servers.stream().sorted().map(SqlLiteral::string).toList()) + ")";
    }

    private static String filter(String column, Optional<String> value) {
        return value.map(v -> " AND " + column + " = " + SqlLiteral.string(v)).orElse("");
    }
}

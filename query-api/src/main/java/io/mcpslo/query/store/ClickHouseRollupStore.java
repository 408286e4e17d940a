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
    public List<RollupBucket> buckets(RollupQuery query) {
        String bucket = query.step()
                .map(step -> "intDiv(toUInt32(window_start), " + step.toSeconds() + ") * " + step.toSeconds())
                .orElse(String.valueOf(query.from().getEpochSecond()));
        String sql = "SELECT toUInt64(" + bucket + ") AS bucket,"
                + " sum(ok) AS ok, sum(tool_error) AS tool_error, sum(transport_error) AS transport_error,"
                + " sum(denied) AS denied, sum(rate_limited) AS rate_limited,"
                + " sum(latency_zero_count) AS zero_count, sumMap(latency_bins, latency_counts) AS bins"
                + " FROM " + client.database() + ".call_rollups_1m FINAL"
                + " WHERE window_start >= toDateTime(" + query.from().getEpochSecond() + ")"
                + " AND window_start < toDateTime(" + query.to().getEpochSecond() + ")"
                + filter("server", query.server()) + filter("tool", query.tool())
                + filter("server_version", query.version())
                + " GROUP BY bucket ORDER BY bucket";
        List<RollupBucket> buckets = new ArrayList<>();
        for (JsonNode row : client.query(sql)) {
            var counts = new OutcomeCounts(row.get("ok").asLong(), row.get("tool_error").asLong(),
                    row.get("transport_error").asLong(), row.get("denied").asLong(), row.get("rate_limited").asLong());
            JsonNode bins = row.get("bins");
            int[] indexes = new int[bins.get(0).size()];
            long[] binCounts = new long[indexes.length];
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = bins.get(0).get(i).asInt();
                binCounts[i] = bins.get(1).get(i).asLong();
            }
            buckets.add(new RollupBucket(Instant.ofEpochSecond(row.get("bucket").asLong()), counts,
                    new SketchBins(indexes, binCounts, row.get("zero_count").asLong())));
        }
        return buckets;
    }

    private static String filter(String column, Optional<String> value) {
        return value.map(v -> " AND " + column + " = " + SqlLiteral.string(v)).orElse("");
    }
}

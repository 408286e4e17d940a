package io.mcpslo.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.history.SloHistory;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An SLO's past as ClickHouse stores it: rollups in {@code call_rollups_1m}, alerts in {@code alert_events}.
 * FINAL collapses replayed revisions to the latest before anything is summed; a minute's rollups are summed (bins
 * merged by sumMap) in ClickHouse, so 30 days of many tools arrive as one row a minute. Answers are read as a
 * stream, one row at a time.
 */
public final class ClickHouseSloHistory implements SloHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClickHouseClient client;

    public ClickHouseSloHistory(ClickHouseClient client) {
        this.client = client;
    }

    @Override
    public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency) {
        Map<Instant, RollupAggregate> minutes = new LinkedHashMap<>();
        read("SELECT toUInt32(window_start) AS minute, sum(ok) AS ok, sum(tool_error) AS tool_error,"
                + " sum(transport_error) AS transport_error, sum(denied) AS denied, sum(rate_limited) AS rate_limited"
                + (withLatency ? ", sum(latency_zero_count) AS latency_zero_count,"
                        + " sumMap(latency_bins, latency_counts) AS bins" : "")
                + " FROM " + table() + " FINAL" + where(scope, from, to)
                + " GROUP BY minute ORDER BY minute FORMAT JSONEachRow", row -> {
                    SketchBins bins = withLatency
                            ? bins(row.get("bins").get(0), row.get("bins").get(1), row.get("latency_zero_count"))
                            : SketchBins.EMPTY;
                    minutes.put(minute(row), new RollupAggregate(counts(row), bins));
                });
        return minutes;
    }

    @Override
    public List<CallRollup> rollups(SloScope scope, Instant from, Instant to) {
        List<CallRollup> rollups = new ArrayList<>();
        read("SELECT toUInt32(window_start) AS minute, server, tool, server_version, ok, tool_error, transport_error,"
                + " denied, rate_limited, latency_sum_ms, latency_max_ms, latency_zero_count, latency_bins,"
                + " latency_counts FROM " + table() + " FINAL" + where(scope, from, to)
                + " ORDER BY minute FORMAT JSONEachRow", row -> rollups.add(new CallRollup(
                        new RollupKey(row.get("server").asText(), row.get("tool").asText(),
                                row.get("server_version").asText(), minute(row)),
                        counts(row), row.get("latency_sum_ms").asDouble(), row.get("latency_max_ms").asDouble(),
                        bins(row.get("latency_bins"), row.get("latency_counts"), row.get("latency_zero_count")))));
        return rollups;
    }

    @Override
    public List<AlertState> openAlerts(String sloId, Instant since) {
        List<AlertState> open = new ArrayList<>();
        read("SELECT alert, to_state, at_ms, dedup_key FROM " + client.database() + ".alert_events FINAL"
                + " WHERE slo_id = " + SqlLiteral.string(sloId)
                + " AND at >= toDateTime(" + since.getEpochSecond() + ")"
                + " ORDER BY at_ms DESC LIMIT 1 BY alert FORMAT JSONEachRow", row -> {
                    AlertStatus status = AlertStatus.valueOf(row.get("to_state").asText().toUpperCase(Locale.ROOT));
                    if (status == AlertStatus.PENDING || status == AlertStatus.FIRING) {
                        open.add(new AlertState(sloId, AlertKind.fromLabel(row.get("alert").asText()), status,
                                Instant.ofEpochMilli(row.get("at_ms").asLong()), row.get("dedup_key").asText()));
                    }
                });
        return open;
    }

    private String table() {
        return client.database() + ".call_rollups_1m";
    }

    /**
     * In PREWHERE: under FINAL, 18.16 would otherwise read and merge every column of the granules before filtering.
     * Only sort-key columns are named, so all revisions of a row pass or fail together.
     */
    private static String where(SloScope scope, Instant from, Instant to) {
        return " PREWHERE window_start >= toDateTime(" + from.getEpochSecond() + ")"
                + " AND window_start < toDateTime(" + to.getEpochSecond() + ")"
                + equalTo("server", scope.server()) + equalTo("tool", scope.tool())
                + equalTo("server_version", scope.serverVersion());
    }

    private static String equalTo(String column, String value) {
        return value == null ? "" : " AND " + column + " = " + SqlLiteral.string(value);
    }

    private void read(String sql, Consumer<JsonNode> eachRow) {
        try (InputStream answer = client.queryStream(sql);
             MappingIterator<JsonNode> rows = JSON.readerFor(JsonNode.class).readValues(answer)) {
            while (rows.hasNextValue()) {
                eachRow.accept(rows.nextValue());
            }
        } catch (IOException e) {
            throw new ClickHouseException("unreadable answer to: " + sql, 200, e);
        }
    }

    private static Instant minute(JsonNode row) {
        return Instant.ofEpochSecond(row.get("minute").asLong());
    }

    private static OutcomeCounts counts(JsonNode row) {
        return new OutcomeCounts(row.get("ok").asLong(), row.get("tool_error").asLong(),
                row.get("transport_error").asLong(), row.get("denied").asLong(), row.get("rate_limited").asLong());
    }

    private static SketchBins bins(JsonNode indexes, JsonNode counts, JsonNode zeroCount) {
        int[] binIndexes = new int[indexes.size()];
        long[] binCounts = new long[binIndexes.length];
        for (int i = 0; i < binIndexes.length; i++) {
            binIndexes[i] = indexes.get(i).asInt();
            binCounts[i] = counts.get(i).asLong();
        }
        return new SketchBins(binIndexes, binCounts, zeroCount.asLong());
    }
}

package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.storage.report.ReportStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseSloHistory;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore.ToolRow;
import io.mcpslo.storage.rollup.RollupStore.ToolSort;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Report inputs from the rollup and alert tables (an SLO's minutes read by the same {@link ClickHouseSloHistory} the
 * stream processor seeds its SLOs from); rendered reports in {@code weekly_reports}.
 */
public final class ClickHouseReportStore implements ReportStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClickHouseClient client;
    private final ClickHouseRollupStore rollups;
    private final ClickHouseSloHistory history;

    public ClickHouseReportStore(ClickHouseClient client) {
        this.client = client;
        this.rollups = new ClickHouseRollupStore(client);
        this.history = new ClickHouseSloHistory(client);
    }

    private String table(String name) {
        return client.database() + "." + name;
    }

    private static String range(String column, Instant from, Instant to) {
        return column + " >= toDateTime(" + from.getEpochSecond() + ") AND " + column + " < toDateTime("
                + to.getEpochSecond() + ")";
    }

    @Override
    public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency) {
        return history.minutes(scope, from, to, withLatency);
    }

    @Override
    public SketchBins latency(SloScope scope, Instant from, Instant to) {
        var query = new RollupQuery(Optional.ofNullable(scope.server()), Optional.ofNullable(scope.tool()),
                Optional.ofNullable(scope.serverVersion()), from, to, Optional.empty());
        return rollups.buckets(query).stream().map(RollupBucket::latency).reduce(SketchBins.EMPTY, SketchBins::plus);
    }

    /** Through the rollup planner, so a past week reads its days and hours rather than 10,080 minutes per tool. */
    @Override
    public List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
        var query = new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(), from, to, Optional.empty(),
                servers.isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(servers)));
        Map<List<String>, ToolFailures> byTool = new TreeMap<>(Comparator
                .comparing((List<String> key) -> key.get(0)).thenComparing(key -> key.get(1)));
        for (ToolRow row : rollups.tools(query, ToolSort.NAME, 0, Integer.MAX_VALUE).rows()) {
            var counts = row.counts();
            byTool.merge(List.of(row.server(), row.tool()), new ToolFailures(row.server(), row.tool(),
                    counts.calls(), counts.toolError(), counts.transportError()), (a, b) -> new ToolFailures(
                    a.server(), a.tool(), a.calls() + b.calls(), a.toolErrors() + b.toolErrors(),
                    a.transportErrors() + b.transportErrors()));
        }
        return List.copyOf(byTool.values());
    }

    @Override
    public List<Map<String, String>> alertTransitions(String sloId, Instant from, Instant to) {
        return client.query("SELECT dedup_key, alert, severity, to_state, at_ms FROM " + table("alert_events")
                + " FINAL WHERE slo_id = " + SqlLiteral.string(sloId) + " AND " + range("at", from, to)
                + " ORDER BY at_ms").stream().map(row -> {
                    Map<String, String> transition = new LinkedHashMap<>();
                    transition.put("dedup_key", row.get("dedup_key").asText());
                    transition.put("alert", row.get("alert").asText());
                    transition.put("severity", row.get("severity").asText());
                    transition.put("to", row.get("to_state").asText());
                    transition.put("at", Instant.ofEpochMilli(row.get("at_ms").asLong()).toString());
                    return transition;
                }).toList();
    }

    @Override
    public void save(StoredReport report) {
        ObjectNode row = JSON.createObjectNode();
        row.put("team", report.team());
        row.put("iso_week", report.isoWeek());
        row.put("format", report.format());
        row.put("generated_at", report.generatedAt().getEpochSecond());
        row.put("body", report.body());
        row.put("version", report.generatedAt().toEpochMilli());
        client.insertJsonEachRow("weekly_reports", (row + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<StoredReport> list(List<String> teams, int limit) {
        String filter = teams.isEmpty() ? "" : " WHERE team IN (" + String.join(", ",
                teams.stream().map(SqlLiteral::string).toList()) + ")";
        return client.query("SELECT team, iso_week, format, toUnixTimestamp(generated_at) AS generated_at FROM "
                + table("weekly_reports") + " FINAL" + filter + " ORDER BY iso_week DESC, team, format LIMIT " + limit)
                .stream().map(row -> new StoredReport(row.get("team").asText(), row.get("iso_week").asText(),
                        row.get("format").asText(), Instant.ofEpochSecond(row.get("generated_at").asLong()), null))
                .toList();
    }

    @Override
    public Optional<StoredReport> find(String team, String isoWeek, String format) {
        return client.query("SELECT team, iso_week, format, toUnixTimestamp(generated_at) AS generated_at, body FROM "
                + table("weekly_reports") + " FINAL WHERE team = " + SqlLiteral.string(team) + " AND iso_week = "
                + SqlLiteral.string(isoWeek) + " AND format = " + SqlLiteral.string(format) + " LIMIT 1").stream()
                .map(row -> new StoredReport(row.get("team").asText(), row.get("iso_week").asText(),
                        row.get("format").asText(), Instant.ofEpochSecond(row.get("generated_at").asLong()),
                        row.get("body").asText())).findFirst();
    }
}

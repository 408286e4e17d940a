package io.mcpslo.query.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.query.store.ClickHouseRollupStore;
import io.mcpslo.query.store.ClickHouseSloStore;
import io.mcpslo.query.store.RollupBucket;
import io.mcpslo.query.store.RollupQuery;
import io.mcpslo.query.store.SloSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Report inputs from the rollup, status and alert tables; rendered reports in {@code weekly_reports}. */
public final class ClickHouseReportStore implements ReportStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClickHouseClient client;
    private final ClickHouseRollupStore rollups;

    public ClickHouseReportStore(ClickHouseClient client) {
        this.client = client;
        this.rollups = new ClickHouseRollupStore(client);
    }

    private String table(String name) {
        return client.database() + "." + name;
    }

    private static String range(String column, Instant from, Instant to) {
        return column + " >= toDateTime(" + from.getEpochSecond() + ") AND " + column + " < toDateTime("
                + to.getEpochSecond() + ")";
    }

    @Override
    public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to) {
        var query = new RollupQuery(Optional.ofNullable(scope.server()), Optional.ofNullable(scope.tool()),
                Optional.ofNullable(scope.serverVersion()), from, to, Optional.of(Duration.ofMinutes(1)));
        Map<Instant, RollupAggregate> minutes = new TreeMap<>();
        for (RollupBucket bucket : rollups.buckets(query)) {
            minutes.put(bucket.start(), new RollupAggregate(bucket.counts(), bucket.latency()));
        }
        return minutes;
    }

    @Override
    public Optional<SloSnapshot> snapshotBefore(String sloId, Instant at) {
        return client.query("SELECT " + ClickHouseSloStore.SNAPSHOT_COLUMNS + " FROM " + table("slo_status")
                + " WHERE slo_id = " + SqlLiteral.string(sloId) + " AND at < toDateTime(" + at.getEpochSecond()
                + ") ORDER BY at DESC LIMIT 1").stream().map(ClickHouseSloStore::snapshot).findFirst();
    }

    @Override
    public Map<String, Double> peakBurnRates(String sloId, Instant from, Instant to) {
        Map<String, Double> peaks = new HashMap<>();
        for (JsonNode row : client.query("SELECT count() AS n, max(burn_1h) AS b1h, max(burn_6h) AS b6h,"
                + " max(burn_1d) AS b1d FROM " + table("slo_status") + " WHERE slo_id = " + SqlLiteral.string(sloId)
                + " AND " + range("at", from, to))) {
            if (row.get("n").asLong() > 0) {
                peaks.put("1h", row.get("b1h").asDouble());
                peaks.put("6h", row.get("b6h").asDouble());
                peaks.put("1d", row.get("b1d").asDouble());
            }
        }
        return peaks;
    }

    @Override
    public List<WeeklyReport.ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
        String serverFilter = servers.isEmpty() ? "" : " AND server IN (" + String.join(", ",
                servers.stream().map(SqlLiteral::string).toList()) + ")";
        return client.query("SELECT server, tool, sum(calls) AS calls, sum(tool_error) AS tool_error,"
                + " sum(transport_error) AS transport_error FROM " + table("call_rollups_1m") + " FINAL WHERE "
                + range("window_start", from, to) + serverFilter + " GROUP BY server, tool ORDER BY server, tool")
                .stream().map(row -> new WeeklyReport.ToolFailures(row.get("server").asText(), row.get("tool").asText(),
                        row.get("calls").asLong(), row.get("tool_error").asLong(), row.get("transport_error").asLong()))
                .toList();
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

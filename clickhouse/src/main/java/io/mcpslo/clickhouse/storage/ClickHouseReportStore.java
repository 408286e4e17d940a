package io.mcpslo.clickhouse.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseSloHistory;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.report.RollupReports;
import io.mcpslo.storage.report.ToolFailures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        return RollupReports.latency(rollups, scope, from, to);
    }

    @Override
    public List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
        return RollupReports.toolCalls(rollups, servers, from, to);
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

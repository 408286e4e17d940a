package io.mcpslo.clickhouse.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.storage.slo.AlertQuery;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloSnapshot;
import io.mcpslo.storage.slo.SloStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The SLO tables in ClickHouse (written by the stream-processor's sink, acknowledgements included). */
public final class ClickHouseSloStore implements SloStore {

    public static final String SNAPSHOT_COLUMNS = "slo_id, team, toUnixTimestamp(at) AS at,"
            + " toUnixTimestamp(window_start) AS window_start, toUnixTimestamp(window_end) AS window_end, sli, objective,"
            + " good, bad, budget_remaining, budget_consumed, time_to_exhaustion_s, " + burnColumns()
            + ", page, ticket, budget_exhausted";
    private static final Duration ACTIVE_LOOKBACK = Duration.ofDays(90);
    private static final Duration RECENT_STATUS = Duration.ofHours(1);

    private final ClickHouseClient client;

    public ClickHouseSloStore(ClickHouseClient client) {
        this.client = client;
    }

    private static String burnColumns() {
        return String.join(", ", SloStatus.BURN_RATE_WINDOWS.stream()
                .map(window -> "burn_" + DurationText.format(window)).toList());
    }

    private String table(String name) {
        return client.database() + "." + name;
    }

    /**
     * Reads the last {@link #RECENT_STATUS} of the SLOs first: a running evaluator writes every minute, so that
     * answers for nearly all of them from a few granules. The SLOs quiet for longer are found by their last time
     * (two key columns over their rows), then that one row each: sorting all their rows by time took seconds.
     */
    @Override
    public List<SloSnapshot> latestSnapshots(Collection<String> sloIds, Instant now) {
        List<SloSnapshot> latest = new ArrayList<>(latestOf(sloIds, " AND at >= toDateTime("
                + now.minus(RECENT_STATUS).getEpochSecond() + ")"));
        Set<String> found = latest.stream().map(SloSnapshot::sloId).collect(Collectors.toSet());
        List<String> quiet = sloIds.stream().filter(id -> !found.contains(id)).toList();
        if (!quiet.isEmpty()) {
            // `at` here is the selected alias, toUnixTimestamp(at)
            latest.addAll(latestOf(quiet, " AND (slo_id, at) IN (SELECT slo_id, toUnixTimestamp(max(at)) FROM "
                    + table("slo_status")
                    + " WHERE slo_id IN (" + idList(quiet) + ") GROUP BY slo_id)"));
        }
        return latest;
    }

    private List<SloSnapshot> latestOf(Collection<String> sloIds, String condition) {
        if (sloIds.isEmpty()) {
            return List.of();
        }
        return client.query("SELECT " + SNAPSHOT_COLUMNS + " FROM " + table("slo_status") + " WHERE slo_id IN ("
                + idList(sloIds) + ")" + condition + " ORDER BY slo_id, at DESC LIMIT 1 BY slo_id").stream()
                .map(ClickHouseSloStore::snapshot).toList();
    }

    private static String idList(Collection<String> sloIds) {
        return String.join(", ", sloIds.stream().distinct().sorted().map(SqlLiteral::string).toList());
    }

    @Override
    public List<SloSnapshot> snapshots(String sloId, Instant from, Instant to, Duration step) {
        String sql = "SELECT " + SNAPSHOT_COLUMNS + ", intDiv(toUInt32(at), " + step.toSeconds() + ") AS bucket FROM "
                + table("slo_status") + " WHERE slo_id = " + SqlLiteral.string(sloId)
                + " AND at >= toDateTime(" + from.getEpochSecond() + ") AND at < toDateTime(" + to.getEpochSecond()
                + ") ORDER BY bucket, at DESC LIMIT 1 BY bucket";
        return client.query(sql).stream().map(ClickHouseSloStore::snapshot).toList();
    }

    @Override
    public Map<String, List<Double>> hourBurnSeries(Collection<String> sloIds, Instant from, Instant to, Duration step) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        if (sloIds.isEmpty()) {
            return series;
        }
        String ids = String.join(", ", sloIds.stream().sorted().map(SqlLiteral::string).toList());
        for (JsonNode row : client.query("SELECT slo_id, intDiv(toUInt32(at), " + step.toSeconds() + ") AS bucket,"
                + " argMax(burn_1h, at) AS burn FROM " + table("slo_status") + " WHERE slo_id IN (" + ids + ")"
                + " AND at >= toDateTime(" + from.getEpochSecond() + ") AND at < toDateTime(" + to.getEpochSecond()
                + ") GROUP BY slo_id, bucket ORDER BY slo_id, bucket")) {
            series.computeIfAbsent(row.get("slo_id").asText(), id -> new ArrayList<>())
                    .add(row.get("burn").asDouble());
        }
        return series;
    }

    public static SloSnapshot snapshot(JsonNode row) {
        JsonNode sli = row.get("sli");
        JsonNode exhaustion = row.get("time_to_exhaustion_s");
        return new SloSnapshot(row.get("slo_id").asText(), row.get("team").asText(),
                Instant.ofEpochSecond(row.get("at").asLong()), Instant.ofEpochSecond(row.get("window_start").asLong()),
                Instant.ofEpochSecond(row.get("window_end").asLong()), sli.isNull() ? null : sli.asDouble(),
                row.get("objective").asDouble(), row.get("good").asLong(), row.get("bad").asLong(),
                row.get("budget_remaining").asDouble(), row.get("budget_consumed").asDouble(),
                exhaustion.isNull() ? null : exhaustion.asLong(), burnRates(row), row.get("page").asInt() == 1,
                row.get("ticket").asInt() == 1, row.get("budget_exhausted").asInt() == 1);
    }

    /** The burn_5m … burn_3d columns of a row, by window name. */
    private static Map<String, Double> burnRates(JsonNode row) {
        Map<String, Double> burnRates = new HashMap<>();
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            burnRates.put(name, row.get("burn_" + name).asDouble());
        }
        return burnRates;
    }

    @Override
    public List<AlertRecord> alerts(AlertQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        query.sloId().ifPresent(v -> where.append(" AND e.slo_id = ").append(SqlLiteral.string(v)));
        query.team().ifPresent(v -> where.append(" AND e.team = ").append(SqlLiteral.string(v)));
        query.alert().ifPresent(v -> where.append(" AND e.alert = ").append(SqlLiteral.string(v)));
        query.severity().ifPresent(v -> where.append(" AND e.severity = ").append(SqlLiteral.string(v)));
        if (!query.teams().isEmpty()) {
            where.append(" AND e.team IN (").append(String.join(", ", query.teams().stream().sorted()
                    .map(SqlLiteral::string).toList())).append(")");
        }
        String events;
        if (query.activeOnly()) {
            Instant since = query.to().minus(ACTIVE_LOOKBACK);
            events = "(SELECT * FROM " + table("alert_events") + " FINAL WHERE at >= toDateTime(" + since.getEpochSecond()
                    + ") ORDER BY at_ms DESC LIMIT 1 BY dedup_key) AS e";
            where.append(" AND e.to_state IN ('pending', 'firing')");
        } else {
            events = "(SELECT * FROM " + table("alert_events") + " FINAL WHERE at >= toDateTime("
                    + query.from().getEpochSecond() + ") AND at < toDateTime(" + query.to().getEpochSecond() + ")) AS e";
        }
        return alertRows(events, where.toString(), query.limit());
    }

    @Override
    public List<AlertRecord> transitions(String dedupKey) {
        String events = "(SELECT * FROM " + table("alert_events") + " FINAL WHERE dedup_key = "
                + SqlLiteral.string(dedupKey) + ") AS e";
        return alertRows(events, "", 1000).reversed();
    }

    /** Alert transitions of {@code events} (a subquery named e) with their acknowledgements, newest first. */
    private List<AlertRecord> alertRows(String events, String where, int limit) {
        String sql = "SELECT e.dedup_key AS dedup_key, e.slo_id AS slo_id, e.team AS team, e.alert AS alert,"
                + " e.severity AS severity, e.from_state AS from_state, e.to_state AS to_state, e.at_ms AS at_ms,"
                + " toUnixTimestamp(e.incident_start) AS incident_start, e.summary AS summary, e.rule AS rule,"
                + " e.budget_remaining AS budget_remaining, e.burn_5m AS burn_5m, e.burn_30m AS burn_30m,"
                + " e.burn_1h AS burn_1h, e.burn_2h AS burn_2h, e.burn_6h AS burn_6h, e.burn_1d AS burn_1d,"
                + " e.burn_3d AS burn_3d, a.acked_by AS acked_by, toUnixTimestamp(a.at) AS acked_at FROM " + events
                + " ANY LEFT JOIN (SELECT dedup_key, acked_by, at FROM " + table("alert_acks") + " FINAL) AS a"
                + " USING dedup_key" + where + " ORDER BY at_ms DESC LIMIT " + limit;
        return client.query(sql).stream().map(row -> {
            String ackedBy = row.get("acked_by").asText();
            return new AlertRecord(row.get("dedup_key").asText(), row.get("slo_id").asText(), row.get("team").asText(),
                    AlertKind.fromLabel(row.get("alert").asText()), enumOf(Severity.class, row.get("severity").asText()),
                    enumOf(AlertStatus.class, row.get("from_state").asText()),
                    enumOf(AlertStatus.class, row.get("to_state").asText()), Instant.ofEpochMilli(row.get("at_ms").asLong()),
                    Instant.ofEpochSecond(row.get("incident_start").asLong()), row.get("summary").asText(),
                    row.get("rule").asText(), row.get("budget_remaining").asDouble(), burnRates(row), ackedBy,
                    ackedBy.isEmpty() ? null : Instant.ofEpochSecond(row.get("acked_at").asLong()));
        }).toList();
    }

    /** A stored enum column: the constant's name in lower case, as the sink writes it. */
    private static <E extends Enum<E>> E enumOf(Class<E> type, String stored) {
        return Enum.valueOf(type, stored.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public Optional<String> alertTeam(String dedupKey) {
        return client.query("SELECT team FROM " + table("alert_events") + " WHERE dedup_key = "
                + SqlLiteral.string(dedupKey) + " LIMIT 1").stream().map(row -> row.get("team").asText()).findFirst();
    }
}

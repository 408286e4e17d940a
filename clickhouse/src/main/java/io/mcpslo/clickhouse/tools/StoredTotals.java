package io.mcpslo.clickhouse.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tools that check the pipeline end to end (the benchmark, the soak, the week back-fill, the importer) count
 * in ClickHouse. Reads without {@code FINAL} where a tool polls while timing, so the measuring does not merge parts.
 */
public final class StoredTotals {

    private final ClickHouseClient client;

    public StoredTotals(ClickHouseClient client) {
        this.client = client;
    }

    /** Raw call rows, a resent call counted as often as it was stored. */
    public long callRows() {
        return single("SELECT count() AS n FROM " + table("calls"));
    }

    /** Calls in the minute rollups, each rollup by its latest revision. */
    public long rolledUpCalls() {
        return single("SELECT sum(c) AS n FROM (SELECT argMax(calls, revision) AS c FROM " + table("call_rollups_1m")
                + " GROUP BY server, tool, server_version, window_start)");
    }

    /** Raw calls of one session in [begin, end), each once. */
    public long sessionCalls(String sessionId, Instant begin, Instant end) {
        return single("SELECT count() AS n FROM " + table("calls") + " FINAL WHERE ts >= toDateTime("
                + begin.getEpochSecond() + ") AND ts < toDateTime(" + end.getEpochSecond() + ") AND session_id = "
                + SqlLiteral.string(sessionId));
    }

    /** The soak's verdict inputs: stored rows and distinct calls, rolled-up calls, incidents and double sends. */
    public SoakCounts soakCounts() {
        JsonNode calls = client.query("SELECT count() AS rows, uniqExact(event_id) AS distinct_ids FROM "
                + table("calls") + " FINAL").get(0);
        long rolledUp = single("SELECT sum(calls) AS n FROM " + table("call_rollups_1m") + " FINAL");
        JsonNode incidents = client.query("SELECT count() AS incidents, countIf(fired > 1 OR resolved > 1) AS twice"
                + " FROM (SELECT dedup_key, countIf(to_state = 'firing') AS fired, countIf(to_state = 'resolved')"
                + " AS resolved FROM " + table("alert_events") + " FINAL GROUP BY dedup_key)").get(0);
        long deliveredTwice = single("SELECT count() AS n FROM (SELECT dedup_key, receiver, status FROM "
                + table("alert_deliveries") + " FINAL WHERE lower(result) = 'delivered'"
                + " GROUP BY dedup_key, receiver, status HAVING count() > 1)");
        return new SoakCounts(calls.get("rows").asLong(), calls.get("distinct_ids").asLong(), rolledUp,
                incidents.get("incidents").asLong(), incidents.get("twice").asLong(), deliveredTwice);
    }

    /** The minute rollup windows stored in [from, to], both ends included. */
    public List<RollupWindow> rollupWindows(Instant from, Instant to) {
        List<RollupWindow> windows = new ArrayList<>();
        for (JsonNode row : client.query("SELECT DISTINCT toUnixTimestamp(window_start) AS w, server, tool,"
                + " server_version FROM " + table("call_rollups_1m") + " WHERE window_start >= toDateTime("
                + from.getEpochSecond() + ") AND window_start <= toDateTime(" + to.getEpochSecond() + ")")) {
            windows.add(new RollupWindow(row.get("server").asText(), row.get("tool").asText(),
                    row.get("server_version").asText(), Instant.ofEpochSecond(row.get("w").asLong())));
        }
        return windows;
    }

    /** Stored rows and distinct calls, calls in the rollups, incidents, incidents moved twice, sends made twice. */
    public record SoakCounts(long callRows, long distinctCalls, long rolledUpCalls, long incidents,
                             long incidentsMovedTwice, long deliveredTwice) {
    }

    /** One stored minute rollup's key. */
    public record RollupWindow(String server, String tool, String serverVersion, Instant windowStart) {
    }

    private String table(String name) {
        return client.database() + "." + name;
    }

    private long single(String sql) {
        return client.query(sql).get(0).get("n").asLong();
    }
}

package io.mcpslo.clickhouse.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SchemaMigrator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weeks of minute rollups and SLO snapshots written in bulk, as the sink would have written them, for the query
 * benchmark ({@code mcp-slo bench queries}): server-side INSERT … SELECT, so a month of 1,000 tools takes minutes.
 */
public final class SyntheticRollups {

    private static final double LN_GAMMA = Math.log(1.01 / 0.99);

    private final ClickHouseClient client;

    public SyntheticRollups(ClickHouseClient client) {
        this.client = client;
    }

    /** Drops the database and creates its tables anew. */
    public void recreate() {
        client.execute("DROP DATABASE IF EXISTS " + client.database());
        new SchemaMigrator(client).migrate();
    }

    /** The end (epoch seconds) of the rollups already filled for this many tools and days, or 0 when they differ. */
    public long filledUntil(int tools, int days) {
        try {
            JsonNode row = client.query("SELECT uniqExact(server, tool) AS tools, toUInt32(min(window_start)) AS first,"
                    + " toUInt32(max(window_start)) AS last FROM " + client.database() + ".call_rollups_1d").get(0);
            long filledDays = (row.get("last").asLong() - row.get("first").asLong()) / 86_400;
            if (row.get("tools").asLong() == tools && filledDays >= days - 1) {
                return client.query("SELECT toUInt32(max(window_start)) AS m FROM " + client.database()
                        + ".call_rollups_1m").get(0).get("m").asLong() + 60;
            }
        } catch (RuntimeException e) {
            // not filled
        }
        return 0;
    }

    /**
     * One bulk INSERT of {@code minutes} minutes of every tool from {@code start}, as the sink writes them. Calls per
     * minute 3–45 (a fleet of ~23 k calls a minute), a few tool and transport errors, one server with a two-hour
     * transport incident every four days, a sketch of up to 12 bins a minute whose place moves from minute to minute
     * (so an hour's merged sketch holds ~70 bins). {@code fraction} < 100 writes an earlier revision (fewer calls).
     */
    public void insertMinutes(int servers, int toolsPerServer, long start, long minutes, int fraction) {
        int tools = servers * toolsPerServer;
        client.execute("INSERT INTO " + client.database() + ".call_rollups_1m (window_start, server, tool, server_version, calls,"
                + " ok, tool_error, transport_error, denied, rate_limited, latency_sum_ms, latency_max_ms,"
                + " latency_zero_count, latency_bins, latency_counts, revision, updated_at)"
                + " SELECT window_start, server, tool, server_version, calls, calls - te - tr - dn, te, tr, dn, 0,"
                + " calls * exp((base + shift + 2 * kb) * " + LN_GAMMA + "), exp((base + shift + 4 * kb) * " + LN_GAMMA
                + "), 0, arrayMap(i -> toInt32(base + shift + i * 4), range(kb)),"
                + " arrayMap(i -> toUInt64(intDiv(calls, kb) + if(i < calls % kb, 1, 0)), range(kb)), calls, now()"
                + " FROM (SELECT toDateTime(" + start + " + intDiv(number, " + tools + ") * 60) AS window_start,"
                + " number % " + tools + " AS k, intDiv(k, " + toolsPerServer + ") AS s,"
                + " concat('server-', toString(s)) AS server, concat('tool_', toString(k % " + toolsPerServer + ")) AS tool,"
                + " concat('1.', toString(s % 3), '.0') AS server_version,"
                + " cityHash64(k, intDiv(toUInt32(window_start), 60)) AS h,"
                + " toUInt64(intDiv(" + fraction + " * (3 + h % 43), 100)) + 3 AS calls,"
                + " toUInt64(bitShiftRight(h, 10) % 25 = 0) AS te,"
                + " if(s = 7 AND intDiv(toUInt32(window_start), 7200) % 48 = 5, intDiv(calls, 3),"
                + " toUInt64(bitShiftRight(h, 20) % 60 = 0)) AS tr,"
                + " toUInt64(bitShiftRight(h, 30) % 250 = 0) AS dn, toUInt64(least(calls, 12)) AS kb,"
                + " 180 + (k * 7) % 120 AS base, bitShiftRight(h, 40) % 24 AS shift"
                + " FROM numbers(" + minutes * tools + "))");
    }

    /** One snapshot a minute of one availability SLO per server, from {@code start} to {@code end} (epoch seconds). */
    public void insertStatuses(int servers, long start, long end) {
        int slos = servers;
        client.execute("INSERT INTO " + client.database() + ".slo_status (slo_id, team, at, window_start, window_end, sli,"
                + " objective, good, bad, budget_allowed, budget_remaining_events, budget_consumed, budget_remaining,"
                + " time_to_exhaustion_s, burn_5m, burn_30m, burn_1h, burn_2h, burn_6h, burn_1d, burn_3d, page, ticket,"
                + " budget_exhausted, recorded_at)"
                + " SELECT concat('server-', toString(s), '-availability'), concat('team-', toString(s % 10)), at,"
                + " at - 2592000, at, 0.999 - b / 100000, 0.995, 1000000 - b * 10, b * 10, 5000, 5000 - b * 10,"
                + " b / 500, 1 - b / 500, NULL, b / 50, b / 60, b / 70, b / 80, b / 90, b / 100, b / 110, 0, 0, 0, now()"
                + " FROM (SELECT toDateTime(" + start + " + intDiv(number, " + slos + ") * 60) AS at,"
                + " number % " + slos + " AS s, cityHash64(s, intDiv(number, " + slos + ")) % 100 AS b"
                + " FROM numbers(" + (end - start) / 60 * slos + "))");
    }

    /** Active rows of the rollup and status tables, by table. */
    public Map<String, Long> tableSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (JsonNode row : client.query("SELECT table, sum(rows) AS n FROM system.parts WHERE active AND database = '"
                + client.database() + "' AND table IN ('call_rollups_1m', 'call_rollups_1m_by_time', 'call_rollups_1h',"
                + " 'call_rollups_1d', 'call_rollups_1m_by_server', 'call_rollups_5m_by_server',"
                + " 'call_rollups_1h_by_server', 'call_rollups_1d_by_server', 'slo_status') GROUP BY table ORDER BY table")) {
            sizes.put(row.get("table").asText(), row.get("n").asLong());
        }
        return sizes;
    }

}

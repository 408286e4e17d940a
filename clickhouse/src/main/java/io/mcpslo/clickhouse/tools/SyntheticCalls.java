package io.mcpslo.clickhouse.tools;

import io.mcpslo.clickhouse.ClickHouseClient;
import java.time.Duration;
import java.time.Instant;

/**
 * A day of raw calls written in bulk for the call-search benchmark ({@code mcp-slo bench calls}): server-side
 * INSERT … SELECT, 50 servers × 20 tools, sessions, users and traces, one server's tool failing 30 % in the incident
 * hour.
 */
public final class SyntheticCalls {

    private final ClickHouseClient client;

    public SyntheticCalls(ClickHouseClient client) {
        this.client = client;
    }

    /** Calls number {@code offset} to {@code offset + count} of {@code total}, spread evenly over the day. */
    public void insert(long offset, long count, long total, Instant day, Instant incident) {
        // n: the call's number; spread evenly over the day; server-7/tool-7-3 fails 30 % in the incident hour
        client.execute("INSERT INTO " + client.database() + ".calls SELECT generateUUIDv4() AS event_id,"
                + " toDateTime(intDiv(ts_ms, 1000)) AS ts, ts_ms, concat('gw-', toString(n % 4)) AS source,"
                + " concat('server-', toString(n % 50)) AS server, concat('1.', toString(n % 3)) AS server_version,"
                + " concat('tool-', toString(n % 50), '-', toString(intDiv(n, 50) % 20)) AS tool, 'tools/call' AS method,"
                + " '2025-11-25' AS protocol_version, concat('sess-', toString(intDiv(n, 7) % 100000)) AS session_id,"
                + " concat('user-', toString(intDiv(n, 7) % 20000)) AS user, concat('team-', toString(n % 5)) AS team,"
                + " concat(lower(hex(cityHash64(intDiv(n, 4)))), lower(hex(cityHash64(intDiv(n, 4) + 1)))) AS trace_id,"
                + " lower(hex(cityHash64(n))) AS span_id, 20 + (n * 37) % 900 AS duration_ms,"
                + " multiIf(incident AND intDiv(n, 1000) % 10 < 3, 'transport_error', n % 97 = 0, 'transport_error', n % 193 = 0,"
                + " 'tool_error', 'ok') AS outcome,"
                + " multiIf(outcome = 'transport_error', toNullable(toInt32(-32603)), NULL) AS error_code,"
                + " multiIf(outcome = 'transport_error', 'timeout', outcome = 'tool_error', 'tool_error', '') AS error_type,"
                + " 0 AS retry, NULL AS response_bytes, now() AS ingested_at"
                + " FROM (SELECT number + " + offset + " AS n, " + day.toEpochMilli() + " + intDiv(n * 86400000, "
                + total + ") AS ts_ms, n % 50 = 7 AND intDiv(n, 50) % 20 = 3 AND ts_ms >= " + incident.toEpochMilli()
                + " AND ts_ms < " + incident.plus(Duration.ofHours(1)).toEpochMilli() + " AS incident"
                + " FROM system.numbers LIMIT " + count + ")");
    }

    public long rows(String table) {
        return client.query("SELECT count() AS n FROM " + client.database() + "." + table).get(0).get("n").asLong();
    }

    /** Minute rollups of the filled calls and one page alert in the incident hour, unless an alert exists already. */
    public void deriveRollupsAndAlert(Instant day, Instant incident) {
        if (client.query("SELECT count() AS n FROM " + client.database() + ".alert_events").get(0).get("n").asLong() > 0) {
            return;
        }
        // an hour at a time: the whole day in one INSERT outgrew the memory limit pushing to the rollups' views
        for (int hour = 0; hour < 24; hour++) {
            Instant start = day.plus(Duration.ofHours(hour));
            client.execute("INSERT INTO " + client.database() + ".call_rollups_1m (window_start, server, tool,"
                    + " server_version, calls, ok, tool_error, transport_error, denied, rate_limited, revision, updated_at)"
                    + " SELECT toStartOfMinute(ts) AS window_start, server, tool, server_version, count(),"
                    + " countIf(outcome = 'ok'), countIf(outcome = 'tool_error'), countIf(outcome = 'transport_error'), 0,"
                    + " 0, count(), now() FROM " + client.database() + ".calls WHERE ts >= toDateTime("
                    + start.getEpochSecond() + ") AND ts < toDateTime(" + start.plus(Duration.ofHours(1)).getEpochSecond()
                    + ") GROUP BY window_start, server, tool, server_version");
        }
        client.execute("INSERT INTO " + client.database() + ".alert_events (dedup_key, slo_id, team, alert, severity,"
                + " from_state, to_state, at, at_ms, incident_start, summary, rule, recorded_at) VALUES"
                + " ('bench:page:1', 'bench-availability', 'team-2', 'page', 'page', 'inactive', 'firing', toDateTime("
                + incident.plus(Duration.ofMinutes(10)).getEpochSecond() + "), " + incident.plus(Duration.ofMinutes(10))
                .toEpochMilli() + ", now(), 'bench', 'page-1h-5m', now())");
    }

    /** The trace id of the {@code nth} call of the hour from {@code hour}. */
    public String traceInHour(Instant hour, int nth) {
        return client.query("SELECT trace_id FROM " + client.database() + ".calls WHERE ts >= toDateTime("
                + hour.getEpochSecond() + ") AND ts < toDateTime(" + hour.plusSeconds(3600).getEpochSecond()
                + ") LIMIT 1 OFFSET " + nth).get(0).get("trace_id").asText();
    }
}

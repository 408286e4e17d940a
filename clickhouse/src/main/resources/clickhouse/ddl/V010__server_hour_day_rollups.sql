-- The hourly and daily rollups of each server, merged over its tools and versions (tool and server_version left
-- empty), as call_rollups_1m_by_server holds its minutes: a chart of one server by the hour read 20 rows an hour from
-- call_rollups_1h, and a chart of the whole fleet 1,000 (7 days of the fleet by 1h: 168,000 rows and ~190 ms, most of it
-- merging sketches). The rollup roller fills them from the server minutes it has just rolled, the day's partition
-- swapped in whole, so they hold one row per (server, hour or day) and are summed without FINAL. Queries naming only
-- a server, and queries of the whole fleet summed over its tools, read them below the roller's watermark.
-- the server minutes' columns, engine, partitioning (by UTC day) and sort key (server, window_start)
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1h_by_server AS ${database}.call_rollups_1m_by_server;

CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1d_by_server AS ${database}.call_rollups_1m_by_server;

-- Every day the roller has already rolled, from its server minutes (complete below its watermark): the new tables
-- answer from the start, without rolling the minutes again.
INSERT INTO ${database}.call_rollups_1h_by_server
SELECT toDateTime(intDiv(toUInt32(window_start), 3600) * 3600) AS hour_start, server, '', '',
       sum(calls), sum(ok), sum(tool_error), sum(transport_error), sum(denied), sum(rate_limited),
       sum(latency_sum_ms), max(latency_max_ms), sum(latency_zero_count),
       tupleElement(sumMap(latency_bins, latency_counts), 1), tupleElement(sumMap(latency_bins, latency_counts), 2),
       max(revision), now()
FROM ${database}.call_rollups_1m_by_server
GROUP BY hour_start, server;

INSERT INTO ${database}.call_rollups_1d_by_server
SELECT toDateTime(intDiv(toUInt32(window_start), 86400) * 86400) AS day_start, server, '', '',
       sum(calls), sum(ok), sum(tool_error), sum(transport_error), sum(denied), sum(rate_limited),
       sum(latency_sum_ms), max(latency_max_ms), sum(latency_zero_count),
       tupleElement(sumMap(latency_bins, latency_counts), 1), tupleElement(sumMap(latency_bins, latency_counts), 2),
       max(revision), now()
FROM ${database}.call_rollups_1h_by_server
GROUP BY day_start, server;

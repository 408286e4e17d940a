-- The hourly and daily rollups of each server, merged over its tools and versions (tool and server_version left
-- empty), as call_rollups_1m_by_server holds its minutes: a chart of one server by the hour read 20 rows an hour from
-- call_rollups_1h, and a chart of the whole fleet 1,000 (7 days of the fleet by 1h: 168,000 rows and ~190 ms, most of it
-- merging sketches). The rollup roller fills them from the server minutes it has just rolled, the day's partition
-- swapped in whole, so they hold one row per (server, hour or day) and are summed without FINAL. Queries naming only
-- a server, and queries of the whole fleet summed over its tools, read them below the roller's watermark.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1h_by_server (
    window_start DateTime,
    server String,
    tool String,
    server_version String,
    calls UInt64,
    ok UInt64,
    tool_error UInt64,
    transport_error UInt64,
    denied UInt64,
    rate_limited UInt64,
    latency_sum_ms Float64,
    latency_max_ms Float64,
    latency_zero_count UInt64,
    latency_bins Array(Int32),
    latency_counts Array(UInt64),
    revision UInt64,
    rolled_at DateTime
) ENGINE = ReplacingMergeTree(revision)
PARTITION BY intDiv(toUInt32(window_start), 86400)
ORDER BY (server, window_start)
SETTINGS index_granularity = 1024;

CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1d_by_server (
    window_start DateTime,
    server String,
    tool String,
    server_version String,
    calls UInt64,
    ok UInt64,
    tool_error UInt64,
    transport_error UInt64,
    denied UInt64,
    rate_limited UInt64,
    latency_sum_ms Float64,
    latency_max_ms Float64,
    latency_zero_count UInt64,
    latency_bins Array(Int32),
    latency_counts Array(UInt64),
    revision UInt64,
    rolled_at DateTime
) ENGINE = ReplacingMergeTree(revision)
PARTITION BY intDiv(toUInt32(window_start), 86400)
ORDER BY (server, window_start)
SETTINGS index_granularity = 1024;

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

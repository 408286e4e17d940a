-- Coarser rollups for long ranges, filled by the rollup roller (io.mcpslo.clickhouse.RollupRoller), never by the
-- stream: the stream re-emits a minute as it grows (several revisions per minute until merges collapse them), so a
-- view summing inserts would count every revision. The roller instead rebuilds, for each UTC day that received
-- minute rows since its last pass, that day's partition of call_rollups_1h from the latest revision of each minute
-- (staged, then swapped in with REPLACE PARTITION), and that day's partition of call_rollups_1d from the new hours.
-- Each table therefore holds exactly one row per (server, tool, version, hour or day): queries sum it without FINAL.
-- Partitions are UTC day numbers (intDiv(epoch seconds, 86400)), the unit the roller swaps, whatever the server's
-- time zone. Queries read hours only below the roller's watermark (rollup_rolls.rolled_through) and minutes after it.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1h (
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
ORDER BY (server, tool, server_version, window_start)
SETTINGS index_granularity = 1024;

CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1d (
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
ORDER BY (server, tool, server_version, window_start)
SETTINGS index_granularity = 1024;

-- The minute rollups again, sorted by time first: call_rollups_1m is sorted by server and tool, so any query over
-- every server reads a granule of each (server, tool, version) however short its range (an hour of the whole fleet
-- read ~5 M rows there). This copy serves fleet-wide minute ranges and the roller's recent hours. Same revision
-- rule as call_rollups_1m; kept ROLLUP_BY_TIME_DAYS (35) days, daily partitions dropped by the roller.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1m_by_time (
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
    updated_at DateTime
) ENGINE = ReplacingMergeTree(revision)
PARTITION BY intDiv(toUInt32(window_start), 86400)
ORDER BY (window_start, server, tool, server_version);

-- Columns named, not *: a column added to call_rollups_1m later must not break the sink's inserts through this view.
CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.call_rollups_1m_by_time_mv TO ${database}.call_rollups_1m_by_time
AS SELECT window_start, server, tool, server_version, calls, ok, tool_error, transport_error, denied, rate_limited,
    latency_sum_ms, latency_max_ms, latency_zero_count, latency_bins, latency_counts, revision, updated_at
FROM ${database}.call_rollups_1m;

-- Which (hour, server) received minute rows, and when: the roller's to-do list. Written by a view on every insert
-- into call_rollups_1m (whoever writes it: the sink, a back-fill, a benchmark), so late events and replays of any age
-- are rolled again. Daily partitions by touch time, dropped by the roller after two days.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_touched (
    hour DateTime,
    server String,
    touched_at DateTime
) ENGINE = MergeTree()
PARTITION BY toYYYYMMDD(touched_at)
ORDER BY (touched_at, hour, server);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.call_rollups_touched_mv TO ${database}.call_rollups_touched
AS SELECT toDateTime(intDiv(toUInt32(window_start), 3600) * 3600) AS hour, server, now() AS touched_at
FROM ${database}.call_rollups_1m GROUP BY hour, server;

-- The roller's progress: touches at or after `cursor` (less an overlap) are still to roll; call_rollups_1h holds every
-- minute row inserted before the pass that wrote this row for hours before `rolled_through` (call_rollups_1d for the
-- days before it); `by_time_from`: call_rollups_1m_by_time is complete for windows from there on.
CREATE TABLE IF NOT EXISTS ${database}.rollup_rolls (
    name String,
    cursor DateTime,
    rolled_through DateTime,
    by_time_from DateTime,
    rolled_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY name;

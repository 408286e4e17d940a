-- The minute rollups of each server, merged over its tools and versions (tool and server_version left empty): a
-- server's chart at 1m or 5m over days read every tool's minutes from call_rollups_1m with FINAL (24 h of a 20-tool
-- server: 28,800 rows and ~270 ms; 30 days by 5m: 3 s). Filled by the rollup roller like call_rollups_1h — for each
-- touched (hour, server), the latest revision of its minutes merged per server, the day's partition swapped in
-- whole — so it holds one row per (server, minute) and is summed without FINAL. Queries naming only a server read it
-- below the roller's watermark (rollup_rolls.rolled_through) and call_rollups_1m after it.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1m_by_server (
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

-- The roller starts over, so that its next pass (a first pass) rolls every stored day into the new table too; until
-- it ends, queries read minutes only, as without a roller. (Its first pass also copies the recent minutes into
-- call_rollups_1m_by_time again; the copies carry the same revision and collapse like any re-emitted minute.)
DROP TABLE IF EXISTS ${database}.rollup_rolls;

CREATE TABLE IF NOT EXISTS ${database}.rollup_rolls (
    name String,
    cursor DateTime,
    rolled_through DateTime,
    by_time_from DateTime,
    rolled_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY name;

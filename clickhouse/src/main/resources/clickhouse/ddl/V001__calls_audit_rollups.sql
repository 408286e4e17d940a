-- Raw calls, one row per event. ReplacingMergeTree on the sort key (which ends in event_id) collapses a
-- replayed event; queries that need exact counts read with FINAL.
CREATE TABLE IF NOT EXISTS ${database}.calls (
    event_id UUID,
    ts DateTime,
    ts_ms UInt64,
    source String,
    server String,
    server_version String,
    tool String,
    method String,
    protocol_version String,
    session_id String,
    user String,
    team String,
    trace_id String,
    span_id String,
    duration_ms Float64,
    outcome Enum8('ok' = 1, 'tool_error' = 2, 'transport_error' = 3, 'denied' = 4, 'rate_limited' = 5),
    error_code Nullable(Int32),
    error_type String,
    retry UInt16,
    response_bytes Nullable(UInt64),
    ingested_at DateTime
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(ts)
ORDER BY (server, tool, ts, event_id);

-- Audit events as received; idempotent on event_id like calls.
CREATE TABLE IF NOT EXISTS ${database}.audit_events (
    event_id UUID,
    ts DateTime,
    ts_ms UInt64,
    source String,
    server String,
    server_version String,
    tool String,
    method String,
    session_id String,
    user String,
    team String,
    trace_id String,
    span_id String,
    actor String,
    action String,
    resource String,
    args_hash String,
    decision Enum8('allow' = 1, 'deny' = 2),
    outcome String,
    reason String,
    ingested_at DateTime
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(ts)
ORDER BY (ts, event_id);

-- One row per (server, tool, version, minute). The stream re-emits a window as it grows; the row with the
-- highest revision (its call count) wins, so replays and re-emits collapse. The latency sketch is stored
-- as DDSketch bins (logarithmic mapping, 1 % relative accuracy) that merge with sumMap.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_1m (
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
PARTITION BY toYYYYMM(window_start)
ORDER BY (server, tool, server_version, window_start);

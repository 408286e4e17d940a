-- Raw calls again, sorted by time first, for searches that name no server, session, user or trace (by error code,
-- error type, outcome, gateway, team, least duration, or none): `calls` is sorted by (server, tool, ts), so such a
-- search read the whole day's partition. Sorted by (ts_ms, event_id), a search reads just its time range, and the
-- newest calls of a page lie side by side, so their whole rows are a few granules of this table (a narrow copy whose
-- page rows were then fetched from `calls` touched a granule per call there, scattered over every server and tool).
-- A replayed event collapses as in `calls`. The materialized view copies every insert into `calls`; partitioned by day
-- of the event like `calls` and dropped with it by retention (CALLS_RETENTION_DAYS).
CREATE TABLE IF NOT EXISTS ${database}.calls_by_time (
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
ORDER BY (ts_ms, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.calls_by_time_feed TO ${database}.calls_by_time
AS SELECT event_id, ts, ts_ms, source, server, server_version, tool, method, protocol_version, session_id, user, team,
    trace_id, span_id, duration_ms, outcome, error_code, error_type, retry, response_bytes, ingested_at
FROM ${database}.calls;

-- Calls stored before this table existed; a call both copied here and by the view collapses like a replay.
INSERT INTO ${database}.calls_by_time SELECT event_id, ts, ts_ms, source, server, server_version, tool, method,
    protocol_version, session_id, user, team, trace_id, span_id, duration_ms, outcome, error_code, error_type, retry,
    response_bytes, ingested_at
FROM ${database}.calls;

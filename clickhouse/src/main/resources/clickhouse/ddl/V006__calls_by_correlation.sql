-- Raw calls again, sorted for the on-call engineer's lookups: every call of one session, one user or one trace.
-- `calls` is sorted by (server, tool, ts) and 18.16 has no projections, so this copy holds one row per call and
-- correlation key (a call with a session, a user and a trace is here three times; an empty key is left out),
-- sorted by (key_kind, key, ts_ms, event_id). The materialized view copies every insert into `calls`, so the sink
-- writes one table as before. The sort key ends in event_id like that of `calls`: a replayed event collapses, and
-- reads with FINAL count it once. Partitioned by day of the event like `calls`, and kept as long (retention drops
-- the same days from both: CALLS_RETENTION_DAYS).
CREATE TABLE IF NOT EXISTS ${database}.calls_by_correlation (
    key_kind Enum8('session' = 1, 'user' = 2, 'trace' = 3),
    key String,
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
ORDER BY (key_kind, key, ts_ms, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.calls_by_correlation_feed TO ${database}.calls_by_correlation
AS SELECT correlation.1 AS key_kind, correlation.2 AS key, event_id, ts, ts_ms, source, server, server_version, tool,
    method, protocol_version, session_id, user, team, trace_id, span_id, duration_ms, outcome, error_code, error_type,
    retry, response_bytes, ingested_at
FROM ${database}.calls
ARRAY JOIN arrayFilter(pair -> pair.2 != '', [
    tuple(CAST('session' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), session_id),
    tuple(CAST('user' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), user),
    tuple(CAST('trace' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), trace_id)]) AS correlation;

-- Calls stored before this table existed; a call both copied here and by the view collapses like a replay.
INSERT INTO ${database}.calls_by_correlation SELECT correlation.1 AS key_kind, correlation.2 AS key, event_id, ts, ts_ms,
    source, server, server_version, tool, method, protocol_version, session_id, user, team, trace_id, span_id,
    duration_ms, outcome, error_code, error_type, retry, response_bytes, ingested_at
FROM ${database}.calls
ARRAY JOIN arrayFilter(pair -> pair.2 != '', [
    tuple(CAST('session' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), session_id),
    tuple(CAST('user' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), user),
    tuple(CAST('trace' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), trace_id)]) AS correlation;

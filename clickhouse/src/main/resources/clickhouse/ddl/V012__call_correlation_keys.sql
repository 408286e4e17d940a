-- The correlation copy narrowed to its keys: one row per call and correlation key (session, user, trace; an empty key
-- is left out) holding only the key, the call's time and its event id. The full-width copy (V006) wrote every column
-- of a call three times, and that was most of ClickHouse's work per call (500k calls cost 4.0 s of its CPU with it,
-- 1.4 s without it, 2.7 s with this one). A lookup now reads a key's (ts_ms, event_id) pairs here, sorted by
-- (key_kind, key, ts_ms), and the rows themselves from calls_by_time, whose sort key is that pair, so each call is one
-- granule read there. A replayed event collapses as in `calls`. Partitioned by day of the event like `calls` and
-- dropped with it by retention (CALLS_RETENTION_DAYS).
CREATE TABLE IF NOT EXISTS ${database}.call_correlation_keys (
    key_kind Enum8('session' = 1, 'user' = 2, 'trace' = 3),
    key String,
    ts DateTime,
    ts_ms UInt64,
    event_id UUID
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(ts)
ORDER BY (key_kind, key, ts_ms, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.call_correlation_keys_feed TO ${database}.call_correlation_keys
AS SELECT correlation.1 AS key_kind, correlation.2 AS key, ts, ts_ms, event_id
FROM ${database}.calls
ARRAY JOIN arrayFilter(pair -> pair.2 != '', [
    tuple(CAST('session' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), session_id),
    tuple(CAST('user' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), user),
    tuple(CAST('trace' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), trace_id)]) AS correlation;

-- The old view goes first: dropping it waits for the inserts into `calls` that feed it, so from then on the old copy
-- is complete and every new insert feeds the keys through the view above. Then the keys of the calls stored before
-- come from the old copy's rows (a call both copied and fed by the view collapses like a replay), and the old copy
-- goes. On a large database the copy takes minutes: the migrator waits up to 12 h for a statement.
DROP TABLE IF EXISTS ${database}.calls_by_correlation_feed;

-- only while ${database}.calls_by_correlation exists (a service starting beside this one may have copied and dropped it)
INSERT INTO ${database}.call_correlation_keys SELECT key_kind, key, ts, ts_ms, event_id
FROM ${database}.calls_by_correlation;

DROP TABLE IF EXISTS ${database}.calls_by_correlation;

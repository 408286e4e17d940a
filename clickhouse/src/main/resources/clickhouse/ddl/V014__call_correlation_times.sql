-- The correlation keys without the event id: one row per call and key (session, user, trace) holding only the key's
-- hash and the call's time. The event id was the largest column of the whole database (16 random bytes per key row,
-- three rows per call: of 1 M calls' 70 MB in call_correlation_hashes, 48 MB), and a lookup does not need it: it reads
-- the key's times here and, in calls_by_time (sorted by time first), the calls at those times whose own session_id /
-- user / trace_id is the key, which also drops another key's calls at the same millisecond or with the same hash.
-- Without it the same 3 M key rows are 18 MB, and ClickHouse inserts them in a quarter less time and merges them in a
-- fifth less. Calls of one key in the same millisecond share a row (a replayed call collapses the same way). The day is
-- read from the time itself, as `calls` reads it from `ts`, so retention drops the same days (CALLS_RETENTION_DAYS).
CREATE TABLE IF NOT EXISTS ${database}.call_correlation_times (
    key_kind Enum8('session' = 1, 'user' = 2, 'trace' = 3),
    key_hash UInt64,
    ts_ms UInt64
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(toDateTime(intDiv(ts_ms, 1000)))
ORDER BY (key_kind, key_hash, ts_ms);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.call_correlation_times_feed TO ${database}.call_correlation_times
AS SELECT correlation.1 AS key_kind, cityHash64(correlation.2) AS key_hash, ts_ms
FROM ${database}.calls
ARRAY JOIN arrayFilter(pair -> pair.2 != '', [
    tuple(CAST('session' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), session_id),
    tuple(CAST('user' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), user),
    tuple(CAST('trace' AS Enum8('session' = 1, 'user' = 2, 'trace' = 3)), trace_id)]) AS correlation;

-- The new view feeds before the old one goes, so no insert into `calls` between the two misses both; the keys of the
-- calls stored before are then copied from the old table (a key both copied and fed collapses like a replay).
DROP TABLE IF EXISTS ${database}.call_correlation_hashes_feed;

-- only while ${database}.call_correlation_hashes exists (a service starting beside this one may have copied and dropped it)
INSERT INTO ${database}.call_correlation_times SELECT key_kind, key_hash, ts_ms
FROM ${database}.call_correlation_hashes;

DROP TABLE IF EXISTS ${database}.call_correlation_hashes;

-- The tamper-evident audit log: every audit event with its hash-chain link (chain = partition of the audit topic).
-- Partitioned by day of the event, so retention drops whole days; sorted by actor then time, the auditors' most
-- common question; audit_log_by_resource serves "who touched this server/tool". The sort key ends in the chain
-- position, so re-inserting a chained event collapses while a duplicate event chained twice stays visible.
CREATE TABLE IF NOT EXISTS ${database}.audit_log (
    event_id String,
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
    agent String,
    action String,
    resource String,
    args_hash String,
    decision String,
    policy String,
    outcome String,
    reason String,
    chain_partition UInt32,
    chain_seq UInt64,
    prev_hash String,
    hash String,
    chained_at DateTime
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(ts)
ORDER BY (actor, ts_ms, event_id, chain_partition, chain_seq);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${database}.audit_log_by_resource
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(ts)
ORDER BY (server, tool, ts_ms, event_id, chain_partition, chain_seq)
AS SELECT * FROM ${database}.audit_log;

-- Keyed digests (HMAC-SHA256) of chain links.
CREATE TABLE IF NOT EXISTS ${database}.audit_digests (
    chain_partition UInt32,
    chain_seq UInt64,
    hash String,
    hmac String,
    at DateTime
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (chain_partition, chain_seq);

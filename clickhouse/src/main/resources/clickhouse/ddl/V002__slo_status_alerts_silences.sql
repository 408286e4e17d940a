-- Alert history: one row per state transition (pending, firing, resolved). Idempotent on replay: the sort key
-- holds the dedup key and the target state.
CREATE TABLE IF NOT EXISTS ${database}.alert_events (
    dedup_key String,
    slo_id String,
    team String,
    alert String,
    severity String,
    from_state String,
    to_state String,
    at DateTime,
    at_ms UInt64,
    incident_start DateTime,
    summary String,
    rule String,
    budget_remaining Float64,
    burn_5m Float64,
    burn_30m Float64,
    burn_1h Float64,
    burn_2h Float64,
    burn_6h Float64,
    burn_1d Float64,
    burn_3d Float64,
    recorded_at DateTime
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (slo_id, at_ms, dedup_key, to_state);

-- SLO status snapshots, one per SLO and minute (more at transitions): what dashboards and reports read.
CREATE TABLE IF NOT EXISTS ${database}.slo_status (
    slo_id String,
    team String,
    at DateTime,
    window_start DateTime,
    window_end DateTime,
    sli Nullable(Float64),
    objective Float64,
    good UInt64,
    bad UInt64,
    budget_allowed Float64,
    budget_remaining_events Float64,
    budget_consumed Float64,
    budget_remaining Float64,
    time_to_exhaustion_s Nullable(Int64),
    burn_5m Float64,
    burn_30m Float64,
    burn_1h Float64,
    burn_2h Float64,
    burn_6h Float64,
    burn_1d Float64,
    burn_3d Float64,
    page UInt8,
    ticket UInt8,
    budget_exhausted UInt8,
    recorded_at DateTime
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (slo_id, at);

-- Every try to notify a receiver.
CREATE TABLE IF NOT EXISTS ${database}.alert_deliveries (
    dedup_key String,
    slo_id String,
    receiver String,
    receiver_type String,
    status String,
    attempt UInt32,
    at DateTime,
    at_ms UInt64,
    result String,
    http_status UInt16,
    error String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (dedup_key, receiver, status, attempt, at_ms);

-- Silences: the row with the highest version is the silence's current form (expiring one writes a new version).
CREATE TABLE IF NOT EXISTS ${database}.silences (
    id String,
    matchers String,
    starts_at DateTime,
    ends_at DateTime,
    created_by String,
    comment String,
    updated_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Acknowledgements of alerts, by dedup key.
CREATE TABLE IF NOT EXISTS ${database}.alert_acks (
    dedup_key String,
    acked_by String,
    comment String,
    at DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY dedup_key;

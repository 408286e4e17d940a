-- Records the sink could not store: refused by ClickHouse as invalid, or undecodable. Kept with the reason and
-- the original topic bytes (base64), so an operator can see what was refused and replay it after a fix.
-- A replayed dead letter (same topic, partition, offset) collapses.
CREATE TABLE IF NOT EXISTS ${database}.sink_dead_letters (
    at              DateTime,
    at_ms           UInt64,
    topic           String,
    partition       UInt32,
    offset          UInt64,
    table_name      String,
    reason          String,
    payload_base64  String,
    payload_bytes   UInt32
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (topic, partition, offset);

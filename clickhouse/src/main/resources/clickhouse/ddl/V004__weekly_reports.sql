-- Weekly SLO reports, rendered: one row per team, ISO week and format; a regenerated report replaces the older.
CREATE TABLE IF NOT EXISTS ${database}.weekly_reports (
    team String,
    iso_week String,
    format String,
    generated_at DateTime,
    body String,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (team, iso_week, format);

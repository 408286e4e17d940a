package io.mcpslo.clickhouse.storage;

import io.mcpslo.common.config.Settings;

/**
 * How many days each kind of stored data is kept. Minute rollups must outlive the longest SLO window (SLO history is
 * read back from them on start and reload); hourly and daily rollups serve dashboard ranges (at most 400 days) and
 * reports; the minutes sorted by time serve fleet-wide questions of the last weeks.
 */
public record RetentionSettings(int auditDays, int callsDays, int rollupDays, int hourlyRollupDays,
                                int dailyRollupDays, int byTimeRollupDays, int statusDays, int alertDays,
                                int deadLetterDays, int reportDays, int silenceDays) {

    /** Touches are the rollup roller's to-do list: it reads those since its last pass (a minute ago, normally). */
    public static final int ROLLUP_TOUCH_DAYS = 2;

    /** From the {@code *_RETENTION_DAYS} settings, with the defaults the README lists. */
    public static RetentionSettings from(Settings settings) {
        return new RetentionSettings(settings.integer("AUDIT_RETENTION_DAYS", 400, 1, 100_000),
                settings.integer("CALLS_RETENTION_DAYS", 14, 1, 100_000),
                settings.integer("ROLLUP_RETENTION_DAYS", 400, 1, 100_000),
                settings.integer("ROLLUP_HOURLY_RETENTION_DAYS", 400, 1, 100_000),
                settings.integer("ROLLUP_DAILY_RETENTION_DAYS", 800, 1, 100_000),
                settings.integer("ROLLUP_BY_TIME_DAYS", 35, 1, 400),
                settings.integer("STATUS_RETENTION_DAYS", 400, 1, 100_000),
                settings.integer("ALERT_RETENTION_DAYS", 400, 1, 100_000),
                settings.integer("DEAD_LETTER_RETENTION_DAYS", 90, 1, 100_000),
                settings.integer("REPORT_RETENTION_DAYS", 800, 1, 100_000),
                settings.integer("SILENCE_RETENTION_DAYS", 400, 1, 100_000));
    }

    public String describe() {
        return "retention audit=" + auditDays + "d calls=" + callsDays + "d rollups=" + rollupDays + "d hourly="
                + hourlyRollupDays + "d daily=" + dailyRollupDays + "d by-time=" + byTimeRollupDays + "d status="
                + statusDays + "d alerts=" + alertDays + "d dead-letters=" + deadLetterDays + "d reports=" + reportDays
                + "d silences=" + silenceDays + "d";
    }

    public RetentionSettings {
        for (int days : new int[] {auditDays, callsDays, rollupDays, hourlyRollupDays, dailyRollupDays, byTimeRollupDays,
                statusDays, alertDays, deadLetterDays, reportDays, silenceDays}) {
            if (days < 1) {
                throw new IllegalArgumentException("retention days must be at least 1: " + this);
            }
        }
    }
}

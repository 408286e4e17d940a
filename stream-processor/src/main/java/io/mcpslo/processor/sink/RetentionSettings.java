package io.mcpslo.processor.sink;

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

    public RetentionSettings {
        for (int days : new int[] {auditDays, callsDays, rollupDays, hourlyRollupDays, dailyRollupDays, byTimeRollupDays,
                statusDays, alertDays, deadLetterDays, reportDays, silenceDays}) {
            if (days < 1) {
                throw new IllegalArgumentException("retention days must be at least 1: " + this);
            }
        }
    }
}

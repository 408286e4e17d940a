package io.mcpslo.clickhouse.storage;

import io.mcpslo.common.config.Settings;
import java.time.Duration;

/**
 * The rollup roller the query API runs: how often it rolls minutes into hours and days ({@code ROLLUP_ROLL_INTERVAL},
 * {@code 0s}: not at all, for a second API instance), how long it keeps the minutes sorted by time
 * ({@code ROLLUP_BY_TIME_DAYS}; the stream-processor's retention drops older days with the same setting).
 */
public record RollerSettings(Duration interval, int byTimeDays) {

    public static RollerSettings from(Settings settings) {
        return new RollerSettings(settings.duration("ROLLUP_ROLL_INTERVAL", Duration.ofMinutes(1)),
                settings.integer("ROLLUP_BY_TIME_DAYS", 35, 1, 400));
    }

    public String describe() {
        return interval.isZero() ? "rollup roller off" : "rollup roller every " + interval.toSeconds() + " s (minutes by"
                + " time kept " + byTimeDays + " days)";
    }
}

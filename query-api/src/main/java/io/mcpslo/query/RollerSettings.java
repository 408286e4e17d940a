package io.mcpslo.query;

import io.mcpslo.common.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rollup roller the query API runs: how often it rolls minutes into hours and days ({@code ROLLUP_ROLL_INTERVAL},
 * {@code 0s}: not at all, for a second API instance), how long it keeps the minutes sorted by time
 * ({@code ROLLUP_BY_TIME_DAYS}; the stream-processor's retention drops older days with the same setting).
 */
public record RollerSettings(Duration interval, int byTimeDays) {

    public static RollerSettings from(Function<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        for (String name : List.of("ROLLUP_ROLL_INTERVAL", "ROLLUP_BY_TIME_DAYS")) {
            String value = environment.apply(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        Settings settings = new Settings(values);
        return new RollerSettings(settings.duration("ROLLUP_ROLL_INTERVAL", Duration.ofMinutes(1)),
                settings.integer("ROLLUP_BY_TIME_DAYS", 35, 1, 400));
    }

    public String describe() {
        return interval.isZero() ? "rollup roller off" : "rollup roller every " + interval.toSeconds() + " s (minutes by"
                + " time kept " + byTimeDays + " days)";
    }
}

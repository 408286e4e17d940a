package io.mcpslo.engine.slo;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in SLO files and windows as APIs name them: "5m", "6h", "28d", "2w". */
public final class DurationText {

    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,5})([smhdw])");

    private DurationText() {
    }

    /** The duration "N" + unit (s, m, h, d, w) stands for, or empty when the text is not of that form. */
    public static Optional<Duration> parse(String text) {
        Matcher matcher = FORM.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        });
    }

    /** The shortest of the forms above that is exact: 30d, 90m, 45s. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86400 == 0 && seconds > 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}

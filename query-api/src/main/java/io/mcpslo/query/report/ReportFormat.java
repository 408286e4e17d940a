package io.mcpslo.query.report;

import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.SloTargetText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Numbers as the people who read a weekly report write them, the same in Markdown, HTML and PDF: objectives as
 * {@code 99 %}, {@code 99.9 %}, {@code 99.95 %}; attainment with the decimals that tell it from the objective;
 * budgets as {@code 12.5 %}; durations as {@code 2 h 14 min}; counts as {@code 7,512}; times in the report's zone.
 */
public final class ReportFormat {

    /** Nothing to say (no traffic): an en dash. */
    public static final String NONE = "–";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private ReportFormat() {
    }

    /** An SLO's objective: the fewest decimals that give it back ({@code 99 %}, {@code 99.9 %}, {@code 99.95 %}). */
    public static String objective(double target) {
        return SloTargetText.percent(new Objective(target));
    }

    /**
     * A share such as an attainment: two decimals ({@code 99.93 %}), trailing zeros dropped ({@code 30 %}), and
     * more decimals where two would round it up to 100 % or down to 0 % ({@code 99.996 %}), since "100 %" must mean
     * no failure at all.
     */
    public static String percent(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return NONE;
        }
        BigDecimal exact = BigDecimal.valueOf(fraction).multiply(HUNDRED);
        BigDecimal shown = exact.setScale(2, RoundingMode.HALF_EVEN);
        for (int decimals = 3; decimals <= 6 && roundsToAnEnd(exact, shown); decimals++) {
            shown = exact.setScale(decimals, RoundingMode.HALF_EVEN);
        }
        return plain(shown) + " %";
    }

    private static boolean roundsToAnEnd(BigDecimal exact, BigDecimal shown) {
        return shown.compareTo(HUNDRED) == 0 && exact.compareTo(HUNDRED) != 0
                || shown.signum() == 0 && exact.signum() != 0;
    }

    /** A share of the error budget: one decimal, trailing zero dropped ({@code 12.5 %}, {@code 240 %}); or a dash. */
    public static String budget(Double fraction) {
        if (fraction == null || fraction.isNaN() || fraction.isInfinite()) {
            return NONE;
        }
        BigDecimal exact = BigDecimal.valueOf(fraction).multiply(HUNDRED);
        BigDecimal shown = exact.setScale(1, RoundingMode.HALF_EVEN);
        if (shown.signum() == 0 && exact.signum() != 0) {
            return "< 0.1 %";
        }
        return plain(shown) + " %";
    }

    /** A burn rate: one decimal ({@code 14.4}, {@code 0.3}, {@code 2}); or a dash. */
    public static String burn(Double rate) {
        if (rate == null || rate.isNaN() || rate.isInfinite()) {
            return NONE;
        }
        return plain(BigDecimal.valueOf(rate).setScale(1, RoundingMode.HALF_EVEN));
    }

    /** {@code 45 s}, {@code 12 min}, {@code 2 h 14 min}, {@code 3 h}, {@code 1 d 4 h}: the two largest units. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
    }

    /** A count with thousands separators: {@code 7,512}. */
    public static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** A latency: {@code 87 ms}, {@code 1.24 s}; or a dash. */
    public static String latency(Double milliseconds) {
        if (milliseconds == null || milliseconds.isNaN()) {
            return NONE;
        }
        if (milliseconds < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", milliseconds);
        }
        return String.format(Locale.ROOT, "%.2f s", milliseconds / 1000);
    }

    /** A day as the chart labels it: {@code Mon 16 Nov}. */
    public static String day(LocalDate day) {
        return DAY.format(day);
    }

    /** An instant in the report's zone: {@code Tue 17 Nov 10:00}. */
    public static String time(Instant instant, ZoneId zone) {
        return TIME.format(instant.atZone(zone));
    }

    private static String plain(BigDecimal value) {
        String text = value.stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }
}

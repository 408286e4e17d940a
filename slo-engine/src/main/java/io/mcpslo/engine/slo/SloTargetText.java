package io.mcpslo.engine.slo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * An SLO's target as a person on call reads it: "99.9 % over 30 days", never "0.9990000000000001 over 30d
 * rolling". Machine fields keep the exact objective; this text is only for summaries.
 */
public final class SloTargetText {

    /** How far the printed percent may be from the objective, as a fraction: far below any objective's meaning. */
    private static final BigDecimal TOLERANCE = new BigDecimal("1e-9");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private SloTargetText() {
    }

    /** "99.9 % over 30 days", "99.5 % over calendar month". */
    public static String of(Objective objective, SloWindow window) {
        return percent(objective) + " over " + window(window);
    }

    /**
     * The objective in percent with the fewest decimals that come back to it within 1e-9 (so 1 − 0.001 and
     * 0.9990000000000001 both read "99.9 %"), never rounded up to 100 % nor down to 0 %.
     */
    public static String percent(Objective objective) {
        BigDecimal exact = new BigDecimal(objective.target());
        BigDecimal exactPercent = exact.multiply(HUNDRED);
        for (int decimals = 0; ; decimals++) {
            BigDecimal shown = exactPercent.setScale(decimals, RoundingMode.HALF_EVEN);
            boolean inside = shown.signum() > 0 && shown.compareTo(HUNDRED) < 0;
            if (inside && shown.divide(HUNDRED).subtract(exact).abs().compareTo(TOLERANCE) <= 0) {
                return shown.stripTrailingZeros().toPlainString() + " %";
            }
        }
    }

    /** "30 days", "1 hour", "90 minutes"; "calendar month", "calendar week", "calendar quarter". */
    public static String window(SloWindow window) {
        return switch (window) {
            case RollingWindow rolling -> length(rolling.length());
            case CalendarWindow calendar -> "calendar " + (switch (calendar.period()) {
                case WEEK -> "week";
                case MONTH -> "month";
                case QUARTER -> "quarter";
            });
        };
    }

    private static String length(Duration length) {
        long minutes = length.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return count(minutes / (24 * 60), "day");
        }
        if (minutes % 60 == 0) {
            return count(minutes / 60, "hour");
        }
        return count(minutes, "minute");
    }

    private static String count(long amount, String unit) {
        return amount + " " + unit + (amount == 1 ? "" : "s");
    }
}

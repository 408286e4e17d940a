package io.mcpslo.engine.slo;

import java.time.Duration;
import java.util.List;

/**
 * Alert when the burn rate over both a long and a short window exceeds a threshold (SRE Workbook, ch. 5,
 * "Multiwindow, Multi-Burn-Rate Alerts"): the long window gives significance, the short one a fast reset.
 */
public record MultiWindowRule(Severity severity, Duration longWindow, Duration shortWindow, double burnRateThreshold) {

    public MultiWindowRule {
        if (shortWindow.compareTo(longWindow) >= 0) {
            throw new IllegalArgumentException("the short window must be shorter than the long one");
        }
        if (!(burnRateThreshold > 0)) {
            throw new IllegalArgumentException("burn-rate threshold must be > 0");
        }
    }

    /** "page-1h-5m": severity and the two windows, unique within an SLO's rules. */
    public String name() {
        return severity.name().toLowerCase() + '-' + DurationText.format(longWindow) + '-'
                + DurationText.format(shortWindow);
    }

    /**
     * The Workbook's recommended rules, defined for a 30-day window by the share of budget each spends in
     * its long window (2 % in 1 h, 5 % in 6 h: page; 10 % in 1 d, 10 % in 3 d: ticket) and scaled to
     * {@code sloWindow}: threshold = budget share × sloWindow / longWindow (14.4, 6, 3, 1 for 30 days). For windows
     * shorter than 30 days the slow rules would fall below 1 (0.23 for 7 days), firing while the budget is spent
     * slower than it accrues; thresholds are therefore never below 1.
     */
    public static List<MultiWindowRule> workbookDefaults(Duration sloWindow) {
        return List.of(
                scaled(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 0.02, sloWindow),
                scaled(Severity.PAGE, Duration.ofHours(6), Duration.ofMinutes(30), 0.05, sloWindow),
                scaled(Severity.TICKET, Duration.ofDays(1), Duration.ofHours(2), 0.10, sloWindow),
                scaled(Severity.TICKET, Duration.ofDays(3), Duration.ofHours(6), 0.10, sloWindow));
    }

    private static MultiWindowRule scaled(Severity severity, Duration longWindow, Duration shortWindow,
                                          double budgetShare, Duration sloWindow) {
        double threshold = Math.max(1, budgetShare * sloWindow.toMinutes() / longWindow.toMinutes());
        return new MultiWindowRule(severity, longWindow, shortWindow, threshold);
    }
}

package io.mcpslo.engine.slo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an SLO alerts: its multiwindow rules, a low-traffic guard (a rule stays quiet until its long window holds
 * at least {@code minEvents} events and {@code minBadEvents} bad ones), how long a condition must hold before it
 * fires, and whether an exhausted budget raises its own ticket.
 */
public record AlertPolicy(List<MultiWindowRule> rules, long minEvents, long minBadEvents, Duration pendingFor,
                          boolean budgetExhaustedAlert) {

    public static final long DEFAULT_MIN_BAD_EVENTS = 3;

    public AlertPolicy {
        rules = List.copyOf(rules);
        Objects.requireNonNull(pendingFor, "pendingFor");
        if (minEvents < 0 || minBadEvents < 0) {
            throw new IllegalArgumentException("low-traffic guard counts must be >= 0");
        }
        if (pendingFor.isNegative() || pendingFor.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pending duration must be between 0 and 1h, was " + pendingFor);
        }
    }

    /** The Workbook's four rules scaled to the window, three bad events at least, firing at once. */
    public static AlertPolicy defaultsFor(SloWindow window) {
        return new AlertPolicy(MultiWindowRule.workbookDefaults(window.nominalLength()), 0, DEFAULT_MIN_BAD_EVENTS,
                Duration.ZERO, true);
    }
}

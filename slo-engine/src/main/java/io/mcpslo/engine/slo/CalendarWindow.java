package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * A calendar window in a time zone: the week, month or quarter that holds now, from local midnight to local
 * midnight. By default weeks start on Monday and months on the 1st; an {@code anchor} (local date-time) moves the
 * boundaries, as OpenSLO's {@code calendar.startTime} does. Across a DST change a window is an hour shorter or
 * longer, as the calendar is.
 */
public record CalendarWindow(Period period, ZoneId zone, LocalDateTime anchor) implements SloWindow {

    /** A Monday midnight, which is also a 1st of a month and of a quarter. */
    public static final LocalDateTime DEFAULT_ANCHOR = LocalDateTime.of(2001, 1, 1, 0, 0);

    /** The calendar periods a window can follow. */
    public enum Period {
        WEEK(Duration.ofDays(7), Duration.ofDays(7).plusHours(1)),
        MONTH(Duration.ofDays(30), Duration.ofDays(31).plusHours(1)),
        QUARTER(Duration.ofDays(90), Duration.ofDays(92).plusHours(1));

        private final Duration nominal;
        private final Duration max;

        Period(Duration nominal, Duration max) {
            this.nominal = nominal;
            this.max = max;
        }
    }

    public CalendarWindow {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(anchor, "anchor");
    }

    public CalendarWindow(Period period, ZoneId zone) {
        this(period, zone, DEFAULT_ANCHOR);
    }

    @Override
    public Instant start(Instant now) {
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        long steps = switch (period) {
            case WEEK -> Math.floorDiv(ChronoUnit.DAYS.between(anchor, local), 7);
            case MONTH -> ChronoUnit.MONTHS.between(anchor, local);
            case QUARTER -> Math.floorDiv(ChronoUnit.MONTHS.between(anchor, local), 3);
        };
        // between() truncates towards zero; step back or forward until the boundary is the last one before now
        while (boundary(steps).isAfter(now)) {
            steps--;
        }
        while (!boundary(steps + 1).isAfter(now)) {
            steps++;
        }
        return boundary(steps);
    }

    private Instant boundary(long steps) {
        LocalDateTime local = switch (period) {
            case WEEK -> anchor.plusWeeks(steps);
            case MONTH -> anchor.plusMonths(steps);
            case QUARTER -> anchor.plusMonths(3 * steps);
        };
        return local.atZone(zone).toInstant();
    }

    @Override
    public Instant end(Instant now) {
        Instant start = start(now);
        Instant next = start;
        long steps = 1;
        while (!next.isAfter(start)) {
            LocalDateTime local = LocalDateTime.ofInstant(start, zone);
            next = (switch (period) {
                case WEEK -> local.plusWeeks(steps);
                case MONTH -> local.plusMonths(steps);
                case QUARTER -> local.plusMonths(3 * steps);
            }).atZone(zone).toInstant();
            steps++;
        }
        return start(next);
    }

    @Override
    public Duration nominalLength() {
        return period.nominal;
    }

    @Override
    public Duration maxLength() {
        return period.max;
    }

    @Override
    public String describe() {
        String anchored = anchor.equals(DEFAULT_ANCHOR) ? "" : ", from " + anchor;
        return "calendar " + period.name().toLowerCase(Locale.ROOT) + " (" + zone.getId() + anchored + ")";
    }
}

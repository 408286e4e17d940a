package io.mcpslo.engine.slo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * A calendar window in a time zone: the ISO week (from Monday), the month or the quarter that holds now, from
 * local midnight to local midnight. Across a DST change a window is an hour shorter or longer, as the calendar is.
 */
public record CalendarWindow(Period period, ZoneId zone) implements SloWindow {

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
    }

    @Override
    public Instant start(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        var date = switch (period) {
            case WEEK -> local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> local.toLocalDate().withDayOfMonth(1);
            case QUARTER -> local.toLocalDate().withDayOfMonth(1)
                    .withMonth(((local.getMonthValue() - 1) / 3) * 3 + 1);
        };
        return date.atStartOfDay(zone).toInstant();
    }

    @Override
    public Instant end(Instant now) {
        var startDate = start(now).atZone(zone).toLocalDate();
        var next = switch (period) {
            case WEEK -> startDate.plusWeeks(1);
            case MONTH -> startDate.plusMonths(1);
            case QUARTER -> startDate.plusMonths(3);
        };
        return next.atStartOfDay(zone).toInstant();
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
        return "calendar " + period.name().toLowerCase() + " (" + zone.getId() + ")";
    }
}

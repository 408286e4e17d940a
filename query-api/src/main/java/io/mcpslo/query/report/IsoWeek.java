package io.mcpslo.query.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ISO weeks as reports name them: "2026-W48", Monday to Monday. */
public final class IsoWeek {

    private static final Pattern FORM = Pattern.compile("([0-9]{4})-W([0-9]{2})");

    private IsoWeek() {
    }

    public static String of(LocalDate day) {
        return String.format("%04d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** The Monday the named week starts on, or empty when the text is no ISO week. */
    public static Optional<LocalDate> monday(String isoWeek) {
        Matcher matcher = FORM.matcher(isoWeek == null ? "" : isoWeek);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int year = Integer.parseInt(matcher.group(1));
        int week = Integer.parseInt(matcher.group(2));
        LocalDate anchor = LocalDate.of(year, 1, 4);
        if (week < 1 || week > anchor.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
            return Optional.empty();
        }
        return Optional.of(anchor.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
    }

    /** The last complete week before {@code now} in {@code zone}. */
    public static String lastCompleted(Instant now, ZoneId zone) {
        LocalDate thisMonday = now.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return of(thisMonday.minusWeeks(1));
    }
}

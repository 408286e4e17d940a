package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Per-minute good/bad counts of one SLI, summed over any span. A span ending mid-minute includes that minute as
 * far as it has been counted, so a full outage shows in the burn rate within seconds, not at the next minute
 * boundary; a span starting mid-minute takes the share of that first minute that lies inside it (assuming its
 * events were spread evenly), so a window always covers its full length and a one-minute window is never empty
 * just after a minute boundary. Hourly and daily subtotals keep a 30-day sum to about 200 additions (hourly alone,
 * ~800: a week's replay for the weekly report evaluates such sums for every minute, and spent most of its time here).
 */
public final class MinuteSeries {

    private static final long MINUTES_PER_DAY = 1_440;

    private final NavigableMap<Long, EventCounts> byMinute = new TreeMap<>();
    private final Map<Long, EventCounts> byHour = new HashMap<>();
    private final Map<Long, EventCounts> byDay = new HashMap<>();

    /** Sets the counts of the minute starting at {@code minute} (a later revision replaces an earlier one). */
    public void put(Instant minute, EventCounts counts) {
        if (minute.getEpochSecond() % 60 != 0 || minute.getNano() != 0) {
            throw new IllegalArgumentException("not a minute boundary: " + minute);
        }
        long index = minute.getEpochSecond() / 60;
        EventCounts previous = byMinute.put(index, counts);
        replace(byHour, Math.floorDiv(index, 60), previous, counts);
        replace(byDay, Math.floorDiv(index, MINUTES_PER_DAY), previous, counts);
    }

    private static void replace(Map<Long, EventCounts> subtotals, long key, EventCounts previous, EventCounts counts) {
        EventCounts subtotal = subtotals.getOrDefault(key, EventCounts.NONE);
        if (previous != null) {
            subtotal = subtotal.minus(previous);
        }
        subtotals.put(key, subtotal.plus(counts));
    }

    /** Sum over the minutes starting in [end − window, end). */
    public EventCounts sum(Instant end, Duration window) {
        return sum(end.minus(window), end);
    }

    /** Sum over the minutes starting in [from, to), plus the share of the minute {@code from} falls in. */
    public EventCounts sum(Instant from, Instant to) {
        return wholeMinutes(from, to).plus(headShare(from, to));
    }

    private EventCounts headShare(Instant from, Instant to) {
        long fromMillis = from.toEpochMilli();
        long headMinute = Math.floorDiv(fromMillis, 60_000);
        long headEndMillis = (headMinute + 1) * 60_000;
        if (fromMillis % 60_000 == 0 || !to.isAfter(from)) {
            return EventCounts.NONE;
        }
        EventCounts head = byMinute.get(headMinute);
        if (head == null) {
            return EventCounts.NONE;
        }
        double share = (Math.min(to.toEpochMilli(), headEndMillis) - fromMillis) / 60_000.0;
        return new EventCounts(Math.round(head.good() * share), Math.round(head.bad() * share));
    }

    private EventCounts wholeMinutes(Instant from, Instant to) {
        long first = minuteAtOrAfter(from);
        long last = minuteAtOrAfter(to);
        if (last <= first) {
            return EventCounts.NONE;
        }
        long firstFullHour = Math.floorDiv(first + 59, 60);
        long endFullHour = Math.floorDiv(last, 60);
        if (endFullHour <= firstFullHour) {
            return sumMinutes(first, last);
        }
        EventCounts sum = sumMinutes(first, firstFullHour * 60).plus(sumMinutes(endFullHour * 60, last));
        long firstFullDay = Math.floorDiv(firstFullHour + 23, 24);
        long endFullDay = Math.floorDiv(endFullHour, 24);
        if (endFullDay <= firstFullDay) {
            return sum.plus(sumOf(byHour, firstFullHour, endFullHour));
        }
        return sum.plus(sumOf(byHour, firstFullHour, firstFullDay * 24)).plus(sumOf(byDay, firstFullDay, endFullDay))
                .plus(sumOf(byHour, endFullDay * 24, endFullHour));
    }

    private static EventCounts sumOf(Map<Long, EventCounts> subtotals, long from, long to) {
        EventCounts sum = EventCounts.NONE;
        for (long key = from; key < to; key++) {
            EventCounts counts = subtotals.get(key);
            if (counts != null) {
                sum = sum.plus(counts);
            }
        }
        return sum;
    }

    private EventCounts sumMinutes(long fromMinute, long toMinute) {
        EventCounts sum = EventCounts.NONE;
        if (toMinute <= fromMinute) {
            return sum;
        }
        for (EventCounts counts : byMinute.subMap(fromMinute, true, toMinute, false).values()) {
            sum = sum.plus(counts);
        }
        return sum;
    }

    private static long minuteAtOrAfter(Instant instant) {
        long minute = Math.floorDiv(instant.getEpochSecond(), 60);
        boolean onBoundary = instant.getEpochSecond() % 60 == 0 && instant.getNano() == 0;
        return onBoundary ? minute : minute + 1;
    }

    /** Forgets the minutes that start before {@code instant}. */
    public void pruneBefore(Instant instant) {
        long first = Math.floorDiv(instant.getEpochSecond(), 60);
        var dropped = byMinute.headMap(first, false);
        for (var entry : dropped.entrySet()) {
            drop(byHour, Math.floorDiv(entry.getKey(), 60), entry.getValue());
            drop(byDay, Math.floorDiv(entry.getKey(), MINUTES_PER_DAY), entry.getValue());
        }
        dropped.clear();
    }

    private static void drop(Map<Long, EventCounts> subtotals, long key, EventCounts counts) {
        EventCounts left = subtotals.getOrDefault(key, EventCounts.NONE).minus(counts);
        if (left.total() == 0) {
            subtotals.remove(key);
        } else {
            subtotals.put(key, left);
        }
    }
}

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
 * just after a minute boundary. Hourly subtotals keep a 30-day sum to about 800 additions.
 */
public final class MinuteSeries {

    private final NavigableMap<Long, EventCounts> byMinute = new TreeMap<>();
    private final Map<Long, EventCounts> byHour = new HashMap<>();

    /** Sets the counts of the minute starting at {@code minute} (a later revision replaces an earlier one). */
    public void put(Instant minute, EventCounts counts) {
        if (minute.getEpochSecond() % 60 != 0 || minute.getNano() != 0) {
            throw new IllegalArgumentException("not a minute boundary: " + minute);
        }
        long index = minute.getEpochSecond() / 60;
        EventCounts previous = byMinute.put(index, counts);
        EventCounts hour = byHour.getOrDefault(Math.floorDiv(index, 60), EventCounts.NONE);
        if (previous != null) {
            hour = hour.minus(previous);
        }
        byHour.put(Math.floorDiv(index, 60), hour.plus(counts));
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
        for (long hour = firstFullHour; hour < endFullHour; hour++) {
            EventCounts counts = byHour.get(hour);
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
            long hour = Math.floorDiv(entry.getKey(), 60);
            EventCounts left = byHour.getOrDefault(hour, EventCounts.NONE).minus(entry.getValue());
            if (left.total() == 0) {
                byHour.remove(hour);
            } else {
                byHour.put(hour, left);
            }
        }
        dropped.clear();
    }
}

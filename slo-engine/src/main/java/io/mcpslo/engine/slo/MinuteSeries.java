package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Per-minute good/bad counts of one SLI, summed over any trailing window; older minutes can be pruned. */
public final class MinuteSeries {

    private final NavigableMap<Long, EventCounts> byMinute = new TreeMap<>();

    /** Sets the counts of the minute starting at {@code minute} (a later rollup revision replaces an earlier one). */
    public void put(Instant minute, EventCounts counts) {
        if (minute.getEpochSecond() % 60 != 0 || minute.getNano() != 0) {
            throw new IllegalArgumentException("not a minute boundary: " + minute);
        }
        byMinute.put(minute.getEpochSecond() / 60, counts);
    }

    /** Sum over the minutes starting in [end − window, end). */
    public EventCounts sum(Instant end, Duration window) {
        long endMinute = Math.floorDiv(end.getEpochSecond(), 60);
        long startMinute = endMinute - window.toMinutes();
        EventCounts sum = EventCounts.NONE;
        for (Map.Entry<Long, EventCounts> entry : byMinute.subMap(startMinute, true, endMinute, false).entrySet()) {
            sum = sum.plus(entry.getValue());
        }
        return sum;
    }

    public void pruneBefore(Instant instant) {
        byMinute.headMap(Math.floorDiv(instant.getEpochSecond(), 60), false).clear();
    }
}

package io.mcpslo.clickhouse.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides which rollup table answers which part of a query's range: the coarsest that gives the
 * same answer. Counts add up and sketch bins merge exactly (sumMap), so an hour row holds exactly what its sixty
 * minutes hold and the answer does not depend on the plan; only the rows read do.
 *
 * <ul>
 *   <li>{@code call_rollups_1d} for whole UTC days, {@code call_rollups_1h} for whole hours, when the buckets are
 *       that coarse (step {@code all}, or a step that is a multiple of the hour or day) and the roller has rolled
 *       them (before {@link Coverage#rolledThrough()}).</li>
 *   <li>Minutes for the rest: the range's ragged ends, anything after the roller's watermark, and every
 *       {@code 1m}/{@code 5m} step. Minutes of the whole fleet (no server or tool filter) come from
 *       {@code call_rollups_1m_by_time}, sorted by time, where it is complete (from {@link Coverage#byTimeFrom()});
 *       filtered ones from {@code call_rollups_1m}, sorted by server and tool. A query that names only a server
 *       (its whole chart) reads that server's minutes merged over its tools, {@code call_rollups_1m_by_server},
 *       where the roller has rolled them (before {@link Coverage#rolledThrough()}).</li>
 *   <li>A query summed over every tool of one server, or of the whole fleet, reads the hours and days of
 *       {@code call_rollups_1h_by_server} and {@code call_rollups_1d_by_server}: one row per server, not per tool;
 *       and at a step of five minutes (or a multiple below the hour), the rolled five minutes of
 *       {@code call_rollups_5m_by_server}, minutes only at the range's ragged ends and after the watermark.</li>
 * </ul>
 * Without a roller (no coverage) every query reads {@code call_rollups_1m}, as before.
 *
 * <p>The roller's watermark ({@link Coverage#rolledThrough()}) falls on a minute, not an hour: the hour it is in the
 * middle of has a row in each hourly table too, holding that hour's minutes before the watermark. A query with one
 * bucket (no step) reads that row as the segment [hour, watermark), and minutes only after it: an answer's unrolled
 * tail is then a few minutes, not up to an hour of every tool. Queries with steps use whole hours only (a row per
 * bucket must be a whole bucket). The same holds a level up: the day the watermark is in has a row in each daily table
 * holding its hours before the watermark (the roller sums the day's hourly rows), so such a query reads its whole days
 * and the watermark's day up to the watermark from the daily table, and no hours of that day at all.
 */
public final class RollupPlanner {

    static final long FIVE_MINUTES = 300;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;

    private RollupPlanner() {
    }

    /** The tables, finest first; minute tables hold revisions and are read with FINAL. */
    public enum Table {
        MINUTES("call_rollups_1m", true, 60, false),
        MINUTES_BY_TIME("call_rollups_1m_by_time", true, 60, false),
        SERVER_MINUTES("call_rollups_1m_by_server", false, 60, true),
        SERVER_FIVE_MINUTES("call_rollups_5m_by_server", false, FIVE_MINUTES, true),
        HOURS("call_rollups_1h", false, HOUR, false),
        SERVER_HOURS("call_rollups_1h_by_server", false, HOUR, true),
        DAYS("call_rollups_1d", false, DAY, false),
        SERVER_DAYS("call_rollups_1d_by_server", false, DAY, true);

        private final String tableName;
        private final boolean revisions;
        private final long periodSeconds;
        private final boolean onePerServer;

        Table(String tableName, boolean revisions, long periodSeconds, boolean onePerServer) {
            this.tableName = tableName;
            this.revisions = revisions;
            this.periodSeconds = periodSeconds;
            this.onePerServer = onePerServer;
        }

        /**
         * True when, filtered to one server, the table holds one row per bucket of {@code step}: one row per server
         * and period (the roller writes them so), and the period is the step. Such rows need no GROUP BY.
         */
        public boolean rowPerBucket(Optional<Duration> step) {
            return onePerServer && step.map(s -> s.toSeconds() == periodSeconds).orElse(false);
        }

        public String tableName() {
            return tableName;
        }

        /** True when the table holds several revisions of a row (read with FINAL). */
        public boolean revisions() {
            return revisions;
        }
    }

    /** Windows starting in [from, to), read from one table. */
    public record Segment(Table table, Instant from, Instant to) {
    }

    /**
     * What the roller has done: minutes before {@code rolledThrough} (a minute) are rolled into every table, the
     * hour it falls in included (that hour's row holds its minutes before {@code rolledThrough}); the by-time
     * minutes are complete from {@code byTimeFrom}; {@code fiveMinutes}: the servers' five minutes are rolled too (false
     * from V011 until the roller's first pass after it has filled them); {@code partialRows}: the watermark's hour and
     * day rows hold exactly their minutes before {@code rolledThrough} (false while a pass is swapping in newer ones:
     * then only whole hours and days before the watermark's hour are read).
     */
    public record Coverage(Instant rolledThrough, Instant byTimeFrom, boolean fiveMinutes, boolean partialRows) {

        /** Coverage whose watermark's hour and day rows may be read (no swap under way). */
        public Coverage(Instant rolledThrough, Instant byTimeFrom, boolean fiveMinutes) {
            this(rolledThrough, byTimeFrom, fiveMinutes, true);
        }
    }

    /** What a query's filters select; the minutes that serve it best depend on it. */
    public enum Shape {
        /** Neither server nor tool named: the whole fleet, or a team's many servers, kept per tool. */
        FLEET,
        /** Neither server, tool nor version named, the answer summed over every tool. */
        FLEET_TOTAL,
        /** One server named, no tool or version, the answer summed over its tools. */
        SERVER,
        /** Anything else, or an answer kept per tool (the tools table). */
        OTHER
    }

    /** {@link #plan(Instant, Instant, Optional, Shape, Optional)} for a fleet-wide or any other query. */
    public static List<Segment> plan(Instant from, Instant to, Optional<Duration> step, boolean fleetWide,
                                     Optional<Coverage> coverage) {
        return plan(from, to, step, fleetWide ? Shape.FLEET : Shape.OTHER, coverage);
    }

    /**
     * The segments, in time order, that together cover [from, to) exactly once.
     *
     * @param step  bucket width (empty: one bucket)
     * @param shape what the query's filters select
     */
    public static List<Segment> plan(Instant from, Instant to, Optional<Duration> step, Shape shape,
                                     Optional<Coverage> coverage) {
        boolean fleetWide = shape == Shape.FLEET || shape == Shape.FLEET_TOTAL;
        boolean perServer = shape == Shape.SERVER || shape == Shape.FLEET_TOTAL;
        Table hours = perServer ? Table.SERVER_HOURS : Table.HOURS;
        Table days = perServer ? Table.SERVER_DAYS : Table.DAYS;
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        long start = from.getEpochSecond();
        long end = to.getEpochSecond();
        long stepSeconds = step.map(Duration::toSeconds).orElse(0L);
        boolean hoursAnswer = stepSeconds == 0 || stepSeconds % HOUR == 0;
        boolean daysAnswer = stepSeconds == 0 || stepSeconds % DAY == 0;
        long byTimeFrom = fleetWide && coverage.isPresent() ? coverage.get().byTimeFrom().getEpochSecond() : Long.MAX_VALUE;
        long rolled = coverage.map(c -> c.rolledThrough().getEpochSecond()).orElse(Long.MIN_VALUE);
        long serverMinutesTo = shape == Shape.SERVER ? rolled : Long.MIN_VALUE;
        List<Segment> segments = new ArrayList<>();
        boolean fiveMinutesAnswer = perServer && stepSeconds != 0 && stepSeconds % FIVE_MINUTES == 0
                && coverage.isPresent() && coverage.get().fiveMinutes();
        if (fiveMinutesAnswer && !hoursAnswer) {
            long fiveFrom = ceil(start, FIVE_MINUTES);
            long fiveTo = Math.max(fiveFrom, Math.min(floor(end, FIVE_MINUTES), floor(rolled, FIVE_MINUTES)));
            minutes(segments, start, Math.min(fiveFrom, end), byTimeFrom, serverMinutesTo);
            add(segments, Table.SERVER_FIVE_MINUTES, fiveFrom, fiveTo);
            minutes(segments, Math.max(fiveTo, start), end, byTimeFrom, serverMinutesTo);
            return segments;
        }
        if (coverage.isEmpty() || !hoursAnswer) {
            minutes(segments, start, end, byTimeFrom, serverMinutesTo);
            return segments;
        }
        long hoursFrom = ceil(start, HOUR);
        long hoursTo = Math.min(floor(end, HOUR), floor(rolled, HOUR));
        // one bucket: the row of the hour the watermark is in (its minutes before the watermark) counts too
        boolean toTheWatermark = stepSeconds == 0 && coverage.get().partialRows() && rolled <= end
                && hoursFrom <= floor(rolled, HOUR);
        long rowsTo = toTheWatermark ? rolled : hoursTo;
        if (hoursFrom >= rowsTo) {
            minutes(segments, start, end, byTimeFrom, serverMinutesTo);
            return segments;
        }
        minutes(segments, start, hoursFrom, byTimeFrom, serverMinutesTo);
        long daysFrom = ceil(hoursFrom, DAY);
        long daysTo = floor(hoursTo, DAY);
        if (toTheWatermark && rolled % DAY != 0 && daysFrom <= floor(rolled, DAY)) {
            // one bucket reaching the watermark's day: that day's row holds its minutes before the watermark too
            add(segments, hours, hoursFrom, daysFrom);
            add(segments, days, daysFrom, rolled);
        } else if (daysAnswer && daysFrom < daysTo) {
            add(segments, hours, hoursFrom, daysFrom);
            add(segments, days, daysFrom, daysTo);
            add(segments, hours, daysTo, rowsTo);
        } else {
            add(segments, hours, hoursFrom, rowsTo);
        }
        minutes(segments, rowsTo, end, byTimeFrom, serverMinutesTo);
        return segments;
    }

    private static void minutes(List<Segment> segments, long from, long to, long byTimeFrom, long serverMinutesTo) {
        long rolled = Math.max(from, Math.min(to, serverMinutesTo));
        add(segments, Table.SERVER_MINUTES, from, rolled);
        minutes(segments, rolled, to, byTimeFrom);
    }

    private static void minutes(List<Segment> segments, long from, long to, long byTimeFrom) {
        long split = Math.max(from, Math.min(to, byTimeFrom));
        add(segments, Table.MINUTES, from, split);
        add(segments, Table.MINUTES_BY_TIME, split, to);
    }

    private static void add(List<Segment> segments, Table table, long from, long to) {
        if (from < to) {
            segments.add(new Segment(table, Instant.ofEpochSecond(from), Instant.ofEpochSecond(to)));
        }
    }

    static long floor(long seconds, long unit) {
        return Math.floorDiv(seconds, unit) * unit;
    }

    static long ceil(long seconds, long unit) {
        return -Math.floorDiv(-seconds, unit) * unit;
    }
}

package io.mcpslo.clickhouse.storage;

import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.DAYS;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.HOURS;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.MINUTES;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.MINUTES_BY_TIME;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.SERVER_DAYS;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.SERVER_FIVE_MINUTES;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.SERVER_HOURS;
import static io.mcpslo.clickhouse.storage.RollupPlanner.Table.SERVER_MINUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.storage.RollupPlanner.Coverage;
import io.mcpslo.clickhouse.storage.RollupPlanner.Segment;
import io.mcpslo.clickhouse.storage.RollupPlanner.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollupPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T14:23:00Z");
    /** The roller ran at 14:22 and rolled the hours up to 14:00 (13:00–14:00 being the last whole one). */
    private static final Optional<Coverage> ROLLED = Optional.of(new Coverage(Instant.parse("2026-11-25T14:00:00Z"),
            Instant.parse("2026-11-01T00:00:00Z"), true));
    private static final Optional<Duration> ALL = Optional.empty();
    private static final Optional<Duration> HOUR = Optional.of(Duration.ofHours(1));

    private static Segment segment(Table table, String from, String to) {
        return new Segment(table, Instant.parse(from), Instant.parse(to));
    }

    @Test
    void withoutARollerEverythingComesFromTheMinutes() {
        Instant from = NOW.minus(Duration.ofDays(30));
        assertEquals(List.of(new Segment(MINUTES, from, NOW)),
                RollupPlanner.plan(from, NOW, ALL, false, Optional.empty()));
        assertEquals(List.of(new Segment(MINUTES, from, NOW)),
                RollupPlanner.plan(from, NOW, ALL, true, Optional.empty()));
    }

    @Test
    void minuteAndFiveMinuteStepsReadMinutes() {
        Instant from = NOW.minus(Duration.ofDays(7));
        for (Duration step : List.of(Duration.ofMinutes(1), Duration.ofMinutes(5))) {
            assertEquals(List.of(new Segment(MINUTES, from, NOW)),
                    RollupPlanner.plan(from, NOW, Optional.of(step), false, ROLLED));
        }
    }

    @Test
    void aServersChartAtMinuteStepsReadsItsMergedMinutesUpToTheWatermark() {
        Instant from = NOW.minus(Duration.ofDays(7));
        Optional<Coverage> fiveMinutesNotFilled = Optional.of(new Coverage(ROLLED.get().rolledThrough(),
                ROLLED.get().byTimeFrom(), false));
        for (var stepAndCoverage : List.of(Map.entry(Duration.ofMinutes(1), ROLLED),
                Map.entry(Duration.ofMinutes(5), fiveMinutesNotFilled))) {
            Optional<Duration> step = Optional.of(stepAndCoverage.getKey());
            assertEquals(List.of(new Segment(SERVER_MINUTES, from, Instant.parse("2026-11-25T14:00:00Z")),
                            segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                    RollupPlanner.plan(from, NOW, step, RollupPlanner.Shape.SERVER, stepAndCoverage.getValue()));
            assertEquals(List.of(new Segment(MINUTES, from, NOW)),
                    RollupPlanner.plan(from, NOW, step, RollupPlanner.Shape.SERVER, Optional.empty()));
        }
        // by five minutes, once the roller has filled them: its five minutes, minutes only at the ragged ends
        assertEquals(List.of(new Segment(SERVER_MINUTES, from, Instant.parse("2026-11-18T14:25:00Z")),
                        segment(SERVER_FIVE_MINUTES, "2026-11-18T14:25:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, Optional.of(Duration.ofMinutes(5)), RollupPlanner.Shape.SERVER, ROLLED));
        assertEquals(List.of(segment(SERVER_MINUTES, "2026-11-25T10:30:00Z", "2026-11-25T11:00:00Z"),
                        segment(SERVER_HOURS, "2026-11-25T11:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T10:30:00Z"), NOW, HOUR, RollupPlanner.Shape.SERVER, ROLLED));
    }

    @Test
    void theWholeFleetSummedReadsTheServersHoursAndDaysAndItsMinutesByTime() {
        Instant from = Instant.parse("2026-11-20T10:30:00Z");
        List<Segment> expected = List.of(segment(MINUTES_BY_TIME, "2026-11-20T10:30:00Z", "2026-11-20T11:00:00Z"),
                segment(SERVER_HOURS, "2026-11-20T11:00:00Z", "2026-11-21T00:00:00Z"),
                segment(SERVER_DAYS, "2026-11-21T00:00:00Z", "2026-11-25T14:00:00Z"),
                segment(MINUTES_BY_TIME, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z"));
        assertEquals(expected, RollupPlanner.plan(from, NOW, ALL, RollupPlanner.Shape.FLEET_TOTAL, ROLLED));
        assertEquals(expected.stream().map(s -> new Segment(switch (s.table()) {
            case SERVER_HOURS -> HOURS;
            case SERVER_DAYS -> DAYS;
            default -> s.table();
        }, s.from(), s.to())).toList(), RollupPlanner.plan(from, NOW, ALL, RollupPlanner.Shape.FLEET, ROLLED),
                "kept per tool, the tools' hours and days");
    }

    @Test
    void hourlyStepReadsWholeRolledHoursAndMinutesAtTheEnds() {
        assertEquals(List.of(segment(MINUTES, "2026-11-25T10:30:00Z", "2026-11-25T11:00:00Z"),
                        segment(HOURS, "2026-11-25T11:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T10:30:00Z"), NOW, HOUR, false, ROLLED));
    }

    @Test
    void anHourlyStepNeverReadsDays() {
        Instant from = Instant.parse("2026-11-18T14:23:00Z");
        assertEquals(List.of(segment(MINUTES, "2026-11-18T14:23:00Z", "2026-11-18T15:00:00Z"),
                        segment(HOURS, "2026-11-18T15:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, HOUR, false, ROLLED));
    }

    @Test
    void oneBucketOverWeeksReadsDaysFromItsFirstWholeOneToTheWatermark() {
        Instant from = Instant.parse("2026-10-26T14:23:00Z");
        assertEquals(List.of(segment(MINUTES, "2026-10-26T14:23:00Z", "2026-10-26T15:00:00Z"),
                        segment(HOURS, "2026-10-26T15:00:00Z", "2026-10-27T00:00:00Z"),
                        segment(DAYS, "2026-10-27T00:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, ALL, false, ROLLED));
    }

    @Test
    void theWholeFleetReadsMinutesSortedByTimeWhereThatCopyIsComplete() {
        Instant from = Instant.parse("2026-10-26T14:23:00Z");
        assertEquals(List.of(segment(MINUTES, "2026-10-26T14:23:00Z", "2026-10-26T15:00:00Z"),
                        segment(HOURS, "2026-10-26T15:00:00Z", "2026-10-27T00:00:00Z"),
                        segment(DAYS, "2026-10-27T00:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES_BY_TIME, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, ALL, true, ROLLED));
        Instant dayAgo = NOW.minus(Duration.ofDays(1));
        assertEquals(List.of(new Segment(MINUTES_BY_TIME, dayAgo, NOW)),
                RollupPlanner.plan(dayAgo, NOW, Optional.of(Duration.ofMinutes(5)), true, ROLLED));
        Instant longAgo = Instant.parse("2026-10-31T23:30:00Z");
        assertEquals(List.of(segment(MINUTES, "2026-10-31T23:30:00Z", "2026-11-01T00:00:00Z"),
                        segment(MINUTES_BY_TIME, "2026-11-01T00:00:00Z", "2026-11-01T00:10:00Z")),
                RollupPlanner.plan(longAgo, Instant.parse("2026-11-01T00:10:00Z"), Optional.of(Duration.ofMinutes(1)),
                        true, ROLLED));
    }

    @Test
    void rangesWithinOneHourOrAfterTheWatermarkReadMinutes() {
        Instant from = Instant.parse("2026-11-25T13:05:00Z");
        assertEquals(List.of(new Segment(MINUTES, from, NOW)), RollupPlanner.plan(from, NOW, ALL, false, ROLLED));
        Instant lastHour = Instant.parse("2026-11-25T14:00:00Z");
        assertEquals(List.of(new Segment(MINUTES, lastHour, NOW)), RollupPlanner.plan(lastHour, NOW, ALL, false, ROLLED));
        // an aligned hour the roller has rolled comes from the hours
        assertEquals(List.of(segment(HOURS, "2026-11-25T13:00:00Z", "2026-11-25T14:00:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T13:00:00Z"), lastHour, ALL, false, ROLLED));
    }

    @Test
    void oneBucketReadsTheWatermarksHourUpToTheWatermarkAndMinutesOnlyAfterIt() {
        Optional<Coverage> midHour = Optional.of(new Coverage(Instant.parse("2026-11-25T14:20:00Z"),
                ROLLED.get().byTimeFrom(), true));
        Instant from = Instant.parse("2026-11-24T14:23:00Z");
        // the watermark's day too: its row holds its hours before the watermark, so none of that day's hours are read
        assertEquals(List.of(segment(MINUTES, "2026-11-24T14:23:00Z", "2026-11-24T15:00:00Z"),
                        segment(HOURS, "2026-11-24T15:00:00Z", "2026-11-25T00:00:00Z"),
                        segment(DAYS, "2026-11-25T00:00:00Z", "2026-11-25T14:20:00Z"),
                        segment(MINUTES, "2026-11-25T14:20:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, ALL, false, midHour));
        assertEquals(List.of(segment(MINUTES_BY_TIME, "2026-10-26T14:23:00Z", "2026-10-26T15:00:00Z"),
                        segment(SERVER_HOURS, "2026-10-26T15:00:00Z", "2026-10-27T00:00:00Z"),
                        segment(SERVER_DAYS, "2026-10-27T00:00:00Z", "2026-11-25T14:20:00Z"),
                        segment(MINUTES_BY_TIME, "2026-11-25T14:20:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(Instant.parse("2026-10-26T14:23:00Z"), NOW, ALL, RollupPlanner.Shape.FLEET_TOTAL,
                        Optional.of(new Coverage(Instant.parse("2026-11-25T14:20:00Z"),
                                Instant.parse("2026-10-01T00:00:00Z"), true))));
        // while a pass swaps in newer rows of the watermark's hour and day: whole hours before that hour only
        assertEquals(List.of(segment(MINUTES, "2026-11-24T14:23:00Z", "2026-11-24T15:00:00Z"),
                        segment(HOURS, "2026-11-24T15:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, ALL, false, Optional.of(new Coverage(Instant.parse("2026-11-25T14:20:00Z"),
                        ROLLED.get().byTimeFrom(), true, false))));
        // a range starting inside the watermark's day reads its hours: the day's row holds hours before the range
        assertEquals(List.of(segment(MINUTES, "2026-11-25T02:23:00Z", "2026-11-25T03:00:00Z"),
                        segment(HOURS, "2026-11-25T03:00:00Z", "2026-11-25T14:20:00Z"),
                        segment(MINUTES, "2026-11-25T14:20:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T02:23:00Z"), NOW, ALL, false, midHour));
        assertEquals(List.of(segment(MINUTES_BY_TIME, "2026-11-25T13:30:00Z", "2026-11-25T14:00:00Z"),
                        segment(SERVER_HOURS, "2026-11-25T14:00:00Z", "2026-11-25T14:20:00Z"),
                        segment(MINUTES_BY_TIME, "2026-11-25T14:20:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T13:30:00Z"), NOW, ALL, RollupPlanner.Shape.FLEET_TOTAL,
                        midHour));
        // steps read whole hours only; a range ending before the watermark or starting inside its hour, minutes
        assertEquals(List.of(segment(MINUTES, "2026-11-24T14:23:00Z", "2026-11-24T15:00:00Z"),
                        segment(HOURS, "2026-11-24T15:00:00Z", "2026-11-25T14:00:00Z"),
                        segment(MINUTES, "2026-11-25T14:00:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(from, NOW, HOUR, false, midHour));
        assertEquals(List.of(segment(MINUTES, "2026-11-25T13:30:00Z", "2026-11-25T14:15:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T13:30:00Z"), Instant.parse("2026-11-25T14:15:00Z"), ALL,
                        false, midHour));
        assertEquals(List.of(segment(MINUTES, "2026-11-25T14:05:00Z", "2026-11-25T14:23:00Z")),
                RollupPlanner.plan(Instant.parse("2026-11-25T14:05:00Z"), NOW, ALL, false, midHour));
    }

    /** Whatever the range, step and watermark: the segments tile [from, to), each from a table that can answer it. */
    @Test
    void segmentsAlwaysTileTheRangeWithTablesThatAnswerIt() {
        Random random = new Random(16);
        List<Optional<Duration>> steps = List.of(Optional.of(Duration.ofMinutes(1)), Optional.of(Duration.ofMinutes(5)),
                Optional.of(Duration.ofMinutes(15)), HOUR, ALL);
        for (int i = 0; i < 20_000; i++) {
            long base = NOW.getEpochSecond() - random.nextInt(60 * 86_400);
            Instant from = Instant.ofEpochSecond(base - base % (random.nextBoolean() ? 60 : 1));
            Instant to = from.plusSeconds(1 + random.nextInt(random.nextBoolean() ? 7_200 : 40 * 86_400));
            Optional<Duration> step = steps.get(random.nextInt(steps.size()));
            RollupPlanner.Shape shape = RollupPlanner.Shape.values()[random.nextInt(RollupPlanner.Shape.values().length)];
            boolean fleet = shape == RollupPlanner.Shape.FLEET || shape == RollupPlanner.Shape.FLEET_TOTAL;
            boolean perServer = shape == RollupPlanner.Shape.SERVER || shape == RollupPlanner.Shape.FLEET_TOTAL;
            long rolled = (NOW.getEpochSecond() - random.nextInt(45 * 86_400)) / 60 * 60;
            Optional<Coverage> coverage = random.nextInt(5) == 0 ? Optional.empty() : Optional.of(new Coverage(
                    Instant.ofEpochSecond(random.nextBoolean() ? rolled / 3_600 * 3_600 : rolled),
                    Instant.ofEpochSecond(NOW.getEpochSecond() - random.nextInt(45 * 86_400)), random.nextBoolean(),
                    random.nextInt(4) > 0));
            List<Segment> plan = RollupPlanner.plan(from, to, step, shape, coverage);
            String context = from + " " + to + " " + step + " " + shape + " " + coverage + " -> " + plan;
            assertEquals(from, plan.get(0).from(), context);
            assertEquals(to, plan.get(plan.size() - 1).to(), context);
            for (int s = 0; s < plan.size(); s++) {
                Segment segment = plan.get(s);
                assertTrue(segment.from().isBefore(segment.to()), context);
                if (s > 0) {
                    assertEquals(plan.get(s - 1).to(), segment.from(), context);
                }
                long a = segment.from().getEpochSecond();
                long b = segment.to().getEpochSecond();
                switch (segment.table()) {
                    case HOURS, DAYS, SERVER_HOURS, SERVER_DAYS -> {
                        long unit = segment.table() == HOURS || segment.table() == SERVER_HOURS ? 3_600 : 86_400;
                        assertEquals(perServer, segment.table() == SERVER_HOURS || segment.table() == SERVER_DAYS,
                                "a server's table only for an answer summed over tools: " + context);
                        assertEquals(0, a % unit, context);
                        if (b % unit != 0) {
                            // the watermark's hour or day, holding its minutes before the watermark: for one bucket,
                            // and never while a pass swaps in newer rows of them
                            assertTrue(step.isEmpty() && coverage.orElseThrow().partialRows(), context);
                            assertEquals(coverage.orElseThrow().rolledThrough(), segment.to(), context);
                        }
                        assertTrue(step.map(d -> d.toSeconds() % unit == 0).orElse(true), context);
                        assertTrue(!segment.to().isAfter(coverage.orElseThrow().rolledThrough()), context);
                    }
                    case MINUTES_BY_TIME -> {
                        assertTrue(fleet, context);
                        assertTrue(!segment.from().isBefore(coverage.orElseThrow().byTimeFrom()), context);
                    }
                    case SERVER_FIVE_MINUTES -> {
                        assertTrue(perServer, context);
                        assertTrue(coverage.orElseThrow().fiveMinutes(), "only once filled: " + context);
                        assertEquals(0, a % 300, context);
                        assertEquals(0, b % 300, context);
                        assertTrue(step.map(d -> d.toSeconds() % 300 == 0 && d.toSeconds() % 3_600 != 0)
                                .orElse(false), context);
                        assertTrue(!segment.to().isAfter(coverage.orElseThrow().rolledThrough()), context);
                    }
                    case SERVER_MINUTES -> {
                        assertEquals(RollupPlanner.Shape.SERVER, shape, context);
                        assertTrue(!segment.to().isAfter(coverage.orElseThrow().rolledThrough()), context);
                    }
                    case MINUTES -> {
                        assertTrue(!fleet || coverage.isEmpty()
                                || !segment.to().isAfter(coverage.get().byTimeFrom()), context);
                        assertTrue(shape != RollupPlanner.Shape.SERVER || coverage.isEmpty()
                                || !segment.from().isBefore(coverage.get().rolledThrough()), context);
                    }
                }
            }
        }
    }
}

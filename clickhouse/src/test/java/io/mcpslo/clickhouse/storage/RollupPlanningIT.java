package io.mcpslo.clickhouse.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.MinuteRollups;
import io.mcpslo.clickhouse.MinuteRollups.Row;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.clickhouse.storage.RollupPlanner.Table;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.storage.ReadMeter;
import io.mcpslo.storage.rollup.LatencyBucket;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore.ToolRow;
import io.mcpslo.storage.rollup.RollupStore.ToolSort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner against the real ClickHouse: every question answered from days, hours and minutes equals the answer
 * from the minutes alone — counts exactly, sketches bin for bin (so percentiles too, well within the sketch's 1 %) —
 * while reading fewer rows.
 */
class RollupPlanningIT {

    private static final List<String[]> KEYS = List.of(new String[] {"github", "search_v1", "2.4.0"},
            new String[] {"github", "search_v2", "2.4.0"}, new String[] {"github", "search_v2", "2.5.0"},
            new String[] {"jira", "create_issue", ""}, new String[] {"jira", "search_v2", "9"},
            new String[] {"slack", "post", "1"}, new String[] {"slack", "search_v2", "1"},
            new String[] {"linear", "post", "3"}, new String[] {"it's", "odd \\ tool", "1"});

    private static ClickHouseClient client;
    private static ClickHouseRollupStore planned;
    private static ClickHouseRollupStore minutes;
    private static long now;

    @BeforeAll
    static void fill() {
        client = ClickHouseTestSupport.freshDatabase("planning");
        now = client.query("SELECT toUInt32(now()) AS now").get(0).get("now").asLong();
        // four days and a bit, up to the current minute; the last minutes after the roller's watermark
        MinuteRollups.fill(client, new Random(16), KEYS, (now / 60 - 4 * 1_440 - 37) * 60, now / 60 * 60 + 60, 2);
        new RollupRoller(client, 35).rollOnce();
        planned = new ClickHouseRollupStore(client);
        minutes = new ClickHouseRollupStore(client, false);
    }

    @AfterAll
    static void drop() {
        ClickHouseTestSupport.drop(client);
    }

    private static Instant minutesAgo(long minutes) {
        return Instant.ofEpochSecond((now / 60 + 1 - minutes) * 60);
    }

    static Stream<Arguments> questions() {
        Instant end = minutesAgo(0);
        Instant hourAligned = Instant.ofEpochSecond(now / 3_600 * 3_600 - 3 * 3_600);
        Instant dayAligned = Instant.ofEpochSecond(now / 86_400 * 86_400 - 2 * 86_400);
        List<Instant[]> ranges = List.of(new Instant[] {minutesAgo(4 * 1_440 + 30), end},
                new Instant[] {minutesAgo(3 * 1_440 + 7), minutesAgo(23)}, new Instant[] {dayAligned, end},
                new Instant[] {dayAligned, dayAligned.plus(Duration.ofDays(1))}, new Instant[] {hourAligned, end},
                new Instant[] {hourAligned, hourAligned.plus(Duration.ofHours(1))}, new Instant[] {minutesAgo(50), end},
                new Instant[] {minutesAgo(24 * 60), end}, new Instant[] {dayAligned.plusSeconds(30), end.minusSeconds(10)});
        List<Optional<Duration>> steps = List.of(Optional.empty(), Optional.of(Duration.ofDays(1)),
                Optional.of(Duration.ofHours(1)), Optional.of(Duration.ofMinutes(5)), Optional.of(Duration.ofMinutes(1)));
        List<RollupQuery> filters = List.of(
                query(Optional.empty(), Optional.empty(), Optional.empty()),
                query(Optional.of("github"), Optional.empty(), Optional.empty()),
                query(Optional.of("github"), Optional.of("search_v2"), Optional.empty()),
                query(Optional.of("github"), Optional.of("search_v2"), Optional.of("2.5.0")),
                query(Optional.empty(), Optional.of("search_v2"), Optional.empty()),
                query(Optional.empty(), Optional.empty(), Optional.of("1")),
                query(Optional.of("it's"), Optional.empty(), Optional.empty()),
                // a server named within a team's servers, and outside them
                query(Optional.of("github"), Optional.empty(), Optional.empty()).onlyServers(Set.of("github", "jira")),
                query(Optional.of("github"), Optional.empty(), Optional.empty()).onlyServers(Set.of("jira")),
                query(Optional.empty(), Optional.empty(), Optional.empty()).onlyServers(Set.of("jira", "slack")),
                query(Optional.empty(), Optional.empty(), Optional.empty())
                        .onlyServers(Set.of("jira", "slack", "linear", "github")));
        List<Arguments> arguments = new ArrayList<>();
        for (Instant[] range : ranges) {
            for (Optional<Duration> step : steps) {
                if (step.isPresent() && Duration.between(range[0], range[1]).dividedBy(step.get()) > 2_000) {
                    continue;
                }
                for (RollupQuery filter : filters) {
                    arguments.add(Arguments.of(new RollupQuery(filter.server(), filter.tool(), filter.version(),
                            range[0], range[1], step, filter.servers())));
                }
            }
        }
        return arguments.stream();
    }

    private static RollupQuery query(Optional<String> server, Optional<String> tool, Optional<String> version) {
        return new RollupQuery(server, tool, version, minutesAgo(60), minutesAgo(0), Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("questions")
    void theAnswerDoesNotDependOnWhichTablesAnswerIt(RollupQuery query) {
        List<RollupBucket> expected = minutes.buckets(query);
        List<RollupBucket> actual = planned.buckets(query);
        String context = query + " planned as " + planned.plan(query);
        assertEquals(minutes.counts(query), planned.counts(query), context + ": counts");
        List<LatencyBucket> latency = planned.latency(query);
        assertEquals(minutes.latency(query), latency, context + ": percentiles");
        // latency() merges in SQL or, for one tool, in Java; buckets() always with sumMap: the two must agree
        Map<Instant, RollupBucket> byStart = new HashMap<>();
        actual.forEach(bucket -> byStart.put(bucket.start(), bucket));
        for (LatencyBucket bucket : latency) {
            RollupBucket merged = byStart.getOrDefault(bucket.start(),
                    new RollupBucket(bucket.start(), OutcomeCounts.ZERO, SketchBins.EMPTY));
            LatencySketch sketch = LatencySketch.of(merged.latency());
            Double[] quantiles = sketch.isEmpty() ? new Double[3]
                    : new Double[] {sketch.quantile(0.5), sketch.quantile(0.95), sketch.quantile(0.99)};
            assertEquals(new LatencyBucket(bucket.start(), merged.counts(), quantiles[0], quantiles[1], quantiles[2]),
                    bucket, context + ": latency() against buckets() at " + bucket.start());
        }
        assertEquals(expected.size(), actual.size(), context);
        for (int i = 0; i < expected.size(); i++) {
            RollupBucket e = expected.get(i);
            RollupBucket a = actual.get(i);
            assertEquals(e.start(), a.start(), context);
            assertEquals(e.counts(), a.counts(), context);
            assertTrue(Arrays.equals(e.latency().indexes(), a.latency().indexes())
                    && Arrays.equals(e.latency().counts(), a.latency().counts())
                    && e.latency().zeroCount() == a.latency().zeroCount(), context + " sketch of " + e.start());
            LatencySketch es = LatencySketch.of(e.latency());
            LatencySketch as = LatencySketch.of(a.latency());
            for (double q : new double[] {0.5, 0.95, 0.99}) {
                if (!es.isEmpty()) {
                    assertEquals(es.quantile(q), as.quantile(q), es.quantile(q) * LatencySketch.RELATIVE_ACCURACY, context);
                }
            }
        }
    }

    @Test
    void longRangesReadDaysAndHoursAndFewerRows() {
        RollupQuery fleet = new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                minutesAgo(4 * 1_440), minutesAgo(0), Optional.empty());
        List<Table> tables = planned.plan(fleet).stream().map(RollupPlanner.Segment::table).toList();
        // hours before the first whole day, unless the range starts in a day's last hour (then it starts with minutes
        // and the next hour is a whole day)
        boolean hoursBeforeTheFirstDay = RollupPlanner.ceil(fleet.from().getEpochSecond(), 3_600) % 86_400 != 0;
        assertTrue(tables.containsAll(hoursBeforeTheFirstDay
                        ? List.of(Table.SERVER_DAYS, Table.SERVER_HOURS, Table.MINUTES_BY_TIME)
                        : List.of(Table.SERVER_DAYS, Table.MINUTES_BY_TIME)),
                "the fleet summed reads the servers' days and hours: " + tables);
        RollupQuery server = new RollupQuery(Optional.of("github"), Optional.empty(), Optional.empty(),
                minutesAgo(4 * 1_440), minutesAgo(0), Optional.of(Duration.ofHours(1)));
        tables = planned.plan(server).stream().map(RollupPlanner.Segment::table).toList();
        // the server's rolled minutes at a ragged start, and from the watermark's hour (or five minutes) up to the
        // watermark, a minute; which of them there are depends on where now falls
        long watermark = RollupRoller.state(client).orElseThrow().rolledThrough().getEpochSecond();
        assertEquals(serverPlan(server.from().getEpochSecond(), watermark, 3_600, Table.SERVER_HOURS), tables);
        RollupQuery serverByFiveMinutes = new RollupQuery(Optional.of("github"), Optional.empty(), Optional.empty(),
                minutesAgo(2 * 1_440), minutesAgo(0), Optional.of(Duration.ofMinutes(5)));
        tables = planned.plan(serverByFiveMinutes).stream().map(RollupPlanner.Segment::table).toList();
        assertEquals(serverPlan(serverByFiveMinutes.from().getEpochSecond(), watermark, 300, Table.SERVER_FIVE_MINUTES),
                tables);
        assertTrue(rowsRead(planned, serverByFiveMinutes) < rowsRead(minutes, serverByFiveMinutes),
                rowsRead(planned, serverByFiveMinutes) + " vs " + rowsRead(minutes, serverByFiveMinutes));
        assertTrue(rowsRead(planned, fleet) < rowsRead(minutes, fleet), rowsRead(planned, fleet) + " vs "
                + rowsRead(minutes, fleet));
    }

    /** A server's chart over days ending now: its rolled rows of {@code unit}, rolled minutes at the ends, then minutes. */
    private static List<Table> serverPlan(long from, long watermark, long unit, Table rolled) {
        List<Table> tables = new java.util.ArrayList<>();
        if (from % unit != 0) {
            tables.add(Table.SERVER_MINUTES);
        }
        tables.add(rolled);
        if (watermark % unit != 0) {
            tables.add(Table.SERVER_MINUTES);
        }
        tables.add(Table.MINUTES);
        return tables;
    }

    @Test
    void whileAPassSwapsInTheWatermarksRowsOneBucketReadsWholeHoursOnly() {
        RollupQuery day = new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(), minutesAgo(3 * 1_440 + 7),
                minutesAgo(0), Optional.empty());
        long watermark = RollupRoller.state(client).orElseThrow().rolledThrough().getEpochSecond();
        assertTrue(new ClickHouseRollupStore(client).plan(day).stream()
                .anyMatch(segment -> segment.to().getEpochSecond() == watermark), "normally up to the watermark");
        long version = client.query("SELECT max(version) AS v FROM " + client.database() + ".rollup_rolls")
                .get(0).get("v").asLong();
        // a pass announces its swap (as RollupRoller does), then ends it with its state
        client.execute("INSERT INTO " + client.database() + ".rollup_rolls SELECT 'call_rollups_swapping', cursor,"
                + " rolled_through, by_time_from, rolled_at, " + (version + 1) + " FROM " + client.database()
                + ".rollup_rolls WHERE name = 'call_rollups' ORDER BY version DESC LIMIT 1");
        List<RollupPlanner.Segment> during = new ClickHouseRollupStore(client).plan(day);
        client.execute("INSERT INTO " + client.database() + ".rollup_rolls SELECT name, cursor, rolled_through,"
                + " by_time_from, rolled_at, " + (version + 2) + " FROM " + client.database()
                + ".rollup_rolls WHERE name = 'call_rollups' ORDER BY version DESC LIMIT 1");
        assertTrue(during.stream().filter(segment -> segment.table() != Table.MINUTES
                        && segment.table() != Table.MINUTES_BY_TIME)
                .allMatch(segment -> segment.to().getEpochSecond() <= watermark / 3_600 * 3_600), during.toString());
        assertEquals(minutes.buckets(day).get(0).counts(), new ClickHouseRollupStore(client).buckets(day).get(0).counts());
        assertTrue(new ClickHouseRollupStore(client).plan(day).stream()
                .anyMatch(segment -> segment.to().getEpochSecond() == watermark), "the swap ended");
    }

    private static long rowsRead(ClickHouseRollupStore store, RollupQuery query) {
        try (ReadMeter meter = ReadMeter.open()) {
            store.buckets(query);
            return meter.rows();
        }
    }

    @Test
    void theToolsTableIsTheSameFromEitherAndItsPercentilesAreTheLatencyEndpoints() {
        RollupQuery range = new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                minutesAgo(3 * 1_440 + 11), minutesAgo(0), Optional.empty());
        var all = planned.tools(range, ToolSort.FAILURES, 0, 1_000);
        assertEquals(minutes.tools(range, ToolSort.FAILURES, 0, 1_000), all);
        assertEquals(KEYS.size(), all.total());
        for (ToolRow row : all.rows()) {
            var one = planned.buckets(new RollupQuery(Optional.of(row.server()), Optional.of(row.tool()),
                    Optional.of(row.serverVersion()), range.from(), range.to(), Optional.empty())).get(0);
            assertEquals(one.counts(), row.counts());
            LatencySketch sketch = LatencySketch.of(one.latency());
            assertEquals(sketch.quantile(0.5), row.p50());
            assertEquals(sketch.quantile(0.95), row.p95());
            assertEquals(sketch.quantile(0.99), row.p99());
        }
        for (int i = 1; i < all.rows().size(); i++) {
            ToolRow a = all.rows().get(i - 1);
            ToolRow b = all.rows().get(i);
            assertTrue(a.counts().toolError() + a.counts().transportError()
                    >= b.counts().toolError() + b.counts().transportError(), "worst first");
        }
        // pages put together are the whole table, in the same order, whatever the sort
        for (ToolSort sort : ToolSort.values()) {
            List<ToolRow> paged = new ArrayList<>();
            for (int offset = 0; offset < KEYS.size(); offset += 4) {
                var page = planned.tools(range, sort, offset, 4);
                assertEquals(KEYS.size(), page.total());
                paged.addAll(page.rows());
            }
            assertEquals(planned.tools(range, sort, 0, 100).rows(), paged, sort.toString());
        }
        var byP95 = planned.tools(range, ToolSort.P95, 0, 100).rows();
        for (int i = 1; i < byP95.size(); i++) {
            assertTrue(byP95.get(i - 1).p95() >= byP95.get(i).p95(), "slowest first");
        }
        assertEquals(List.of("jira", "slack"), planned.tools(range.onlyServers(Set.of("jira", "slack")), ToolSort.NAME,
                0, 100).rows().stream().map(ToolRow::server).distinct().toList());
    }

    @Test
    void aLateMinuteIsInTheHoursFromTheRollersNextPass() {
        ClickHouseClient own = ClickHouseTestSupport.freshDatabase("planning_late");
        try {
            long start = (now / 86_400 - 2) * 86_400;
            List<Row> rows = MinuteRollups.fill(own, new Random(3), KEYS.subList(0, 3), start, start + 86_400, 3);
            RollupRoller roller = new RollupRoller(own, 35);
            roller.rollOnce();
            var hours = new ClickHouseRollupStore(own);
            var exact = new ClickHouseRollupStore(own, false);
            RollupQuery day = new RollupQuery(Optional.of("github"), Optional.empty(), Optional.empty(),
                    Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + 86_400), Optional.empty());
            assertEquals(exact.buckets(day), hours.buckets(day));
            Row last = rows.stream().filter(r -> r.server().equals("github")).findFirst().orElseThrow();
            Row late = new Row(last.server(), last.tool(), last.version(), last.minute(), last.ok() + 5, last.toolError(),
                    last.transportError() + 3, last.denied(), last.rateLimited(), last.zeroCount(), last.bins(),
                    grown(last.counts(), 8));
            MinuteRollups.insert(own, List.of(late));
            assertNotEquals(exact.buckets(day).get(0).counts(), hours.buckets(day).get(0).counts(),
                    "until the next pass the hours lack the late minute");
            roller.rollOnce();
            assertEquals(exact.buckets(day), hours.buckets(day));
            assertEquals(exact.buckets(day).get(0).counts().calls(),
                    rows.stream().filter(r -> r.server().equals("github")).mapToLong(Row::calls).sum() + 8);
        } finally {
            ClickHouseTestSupport.drop(own);
        }
    }

    private static long[] grown(long[] counts, long by) {
        long[] grown = counts.clone();
        if (grown.length > 0) {
            grown[grown.length - 1] += by;
        }
        return grown;
    }
}

package io.mcpslo.storage.contract;

import static io.mcpslo.storage.contract.Seeds.HOSTILE;
import static io.mcpslo.storage.contract.Seeds.latencies;
import static io.mcpslo.storage.contract.Seeds.minute;
import static io.mcpslo.storage.contract.Seeds.ok;
import static io.mcpslo.storage.contract.Seeds.rollup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.storage.rollup.CountsBucket;
import io.mcpslo.storage.rollup.LatencyBucket;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore.ToolRow;
import io.mcpslo.storage.rollup.RollupStore.ToolSort;
import io.mcpslo.storage.rollup.RollupStore.ToolsPage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link io.mcpslo.storage.rollup.RollupStore} answers for rollups written through the pipeline. */
public abstract class RollupStoreContract extends StoreContract {

    /** The sketch's documented relative accuracy. */
    private static final double SKETCH_ACCURACY = 0.01;

    private void write(CallRollup... rollups) {
        storage.pipeline().writeRollups(List.of(rollups));
    }

    private static RollupQuery all(Instant from, Instant to, Duration step) {
        return new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(), from, to, Optional.ofNullable(step));
    }

    private static RollupQuery server(String server, Instant from, Instant to) {
        return new RollupQuery(Optional.of(server), Optional.empty(), Optional.empty(), from, to, Optional.empty());
    }

    private static void assertBins(SketchBins expected, SketchBins actual) {
        assertArrayEquals(expected.indexes(), actual.indexes(), "merged bin indexes");
        assertArrayEquals(expected.counts(), actual.counts(), "merged bin counts");
        assertEquals(expected.zeroCount(), actual.zeroCount(), "zero latencies");
    }

    private static void assertNear(double expectedMs, Double actualMs, String what) {
        assertEquals(expectedMs, actualMs, expectedMs * SKETCH_ACCURACY, what);
    }

    @Test
    public void bucketsSumTheLatestRevisionOfEachRollupPerStepAndMergeTheirSketches() {
        CallRollup searchEarly = rollup("github", "search", "1.0", minute(1), 2, 0, 0, 10);
        CallRollup searchLatest = rollup("github", "search", "1.0", minute(1), 6, 1, 1, 10);
        CallRollup get = rollup("github", "get", "1.0", minute(3), 4, 0, 0, 200);
        CallRollup later = rollup("github", "search", "1.0", minute(7), 0, 0, 3, 0);
        write(searchEarly, searchLatest, get);
        write(later, searchLatest, searchEarly); // replayed, the older revision written last

        List<RollupBucket> buckets = storage.rollups().buckets(all(minute(0), minute(10), Duration.ofMinutes(5)));

        assertEquals(List.of(minute(0), minute(5)), buckets.stream().map(RollupBucket::start).toList());
        assertEquals(new OutcomeCounts(10, 1, 1, 0, 0), buckets.get(0).counts(), "latest revision once, plus get");
        assertBins(searchLatest.latency().plus(get.latency()), buckets.get(0).latency());
        assertEquals(new OutcomeCounts(0, 0, 3, 0, 0), buckets.get(1).counts());
        assertEquals(3, buckets.get(1).latency().zeroCount(), "zero latencies are kept apart from the bins");
    }

    @Test
    public void withoutAStepOneBucketStartsAtTheRangeStartEvenEmptyAndTheEndIsExcluded() {
        write(rollup("jira", "search", "2", minute(0), 1, 0, 0, 5), rollup("jira", "search", "2", minute(1), 2, 0, 0, 5),
                rollup("jira", "search", "2", minute(2), 4, 0, 0, 5), rollup("jira", "search", "2", minute(-1), 8, 0, 0, 5));

        List<RollupBucket> buckets = storage.rollups().buckets(all(minute(0), minute(2), null));

        assertEquals(1, buckets.size());
        assertEquals(minute(0), buckets.get(0).start());
        assertEquals(ok(3), buckets.get(0).counts(), "the minutes starting in [from, to) only");
        assertEquals(List.of(), storage.rollups().buckets(all(minute(100), minute(200), Duration.ofMinutes(1))),
                "buckets without calls are absent");
        assertEquals(List.of(RollupBucket.empty(minute(100))), storage.rollups().buckets(all(minute(100), minute(200),
                null)), "without a step, the one bucket is there, empty");
    }

    @Test
    public void filtersByServerToolVersionAndTheServersAReaderMaySee() {
        write(rollup("github", "search", "1.0", minute(0), 1, 0, 0, 5),
                rollup("github", "search", "2.0", minute(0), 2, 0, 0, 5),
                rollup("github", "get", "2.0", minute(0), 4, 0, 0, 5),
                rollup("jira", "search", "2.0", minute(0), 8, 0, 0, 5),
                rollup("notion", "search", "2.0", minute(0), 16, 0, 0, 5));
        Instant from = minute(0);
        Instant to = minute(1);

        assertEquals(ok(7), only(server("github", from, to)));
        assertEquals(ok(26), only(new RollupQuery(Optional.empty(), Optional.of("search"), Optional.of("2.0"), from,
                to, Optional.empty())));
        assertEquals(ok(24), only(all(from, to, null).onlyServers(Set.of("jira", "notion", "absent"))));
        assertEquals(OutcomeCounts.ZERO, only(all(from, to, null).onlyServers(Set.of())),
                "an empty set of visible servers reads nothing");
        assertEquals(OutcomeCounts.ZERO, only(new RollupQuery(Optional.of("github"), Optional.empty(),
                Optional.empty(), from, to, Optional.empty(), Optional.of(Set.of("jira")))), "not a visible server");
    }

    @Test
    public void hostileNamesAreValuesNotQueryText() {
        write(rollup(HOSTILE, HOSTILE, HOSTILE, minute(0), 3, 0, 0, 5), rollup("plain", "search", "1", minute(0), 4, 0, 0, 5));

        assertEquals(ok(3), only(new RollupQuery(Optional.of(HOSTILE), Optional.of(HOSTILE), Optional.of(HOSTILE),
                minute(0), minute(1), Optional.empty())));
        assertEquals(OutcomeCounts.ZERO, only(server("plain' OR '1'='1", minute(0), minute(1))));
        ToolsPage page = storage.rollups().tools(all(minute(0), minute(1), null).onlyServers(Set.of(HOSTILE)),
                ToolSort.NAME, 0, 10);
        assertEquals(List.of(HOSTILE), page.rows().stream().map(ToolRow::tool).toList());
    }

    private OutcomeCounts only(RollupQuery query) {
        List<RollupBucket> buckets = storage.rollups().buckets(query);
        assertEquals(1, buckets.size(), "one bucket");
        return buckets.get(0).counts();
    }

    @Test
    public void countsAreTheBucketsCountsWithoutTheirSketches() {
        write(rollup("github", "search", "1.0", minute(1), 6, 1, 1, 10), rollup("github", "get", "1.0", minute(3), 4, 0, 0, 200),
                rollup("github", "search", "1.0", minute(7), 0, 0, 3, 0), rollup("jira", "get", "1.0", minute(8), 5, 0, 0, 9));
        for (RollupQuery query : List.of(all(minute(0), minute(10), Duration.ofMinutes(5)),
                all(minute(0), minute(10), Duration.ofMinutes(1)), server("github", minute(0), minute(10)),
                all(minute(100), minute(200), null), all(minute(0), minute(10), null).onlyServers(Set.of("jira")))) {
            List<CountsBucket> expected = storage.rollups().buckets(query).stream()
                    .map(bucket -> new CountsBucket(bucket.start(), bucket.counts())).toList();
            assertEquals(expected, storage.rollups().counts(query), query.toString());
        }
        assertEquals(List.of(new CountsBucket(minute(0), new OutcomeCounts(10, 1, 1, 0, 0)),
                new CountsBucket(minute(5), new OutcomeCounts(5, 0, 3, 0, 0))),
                storage.rollups().counts(all(minute(0), minute(10), Duration.ofMinutes(5))));
    }

    @Test
    public void eachBucketsPercentilesAreThoseOfItsMergedSketch() {
        // the first minute alone would say p95 ≈ 48 ms, the second ≈ 98 ms; merged in one 5-minute bucket, 95 ms
        CallRollup first = rollup("github", "search", "1.0", minute(0), ok(50), latencies(1, 50));
        CallRollup second = rollup("github", "get", "1.0", minute(1), ok(50), latencies(51, 100));
        CallRollup fast = rollup("github", "search", "1.0", minute(5), ok(10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        CallRollup idle = rollup("github", "search", "1.0", minute(10), OutcomeCounts.ZERO);
        write(first, second, fast, idle);

        List<LatencyBucket> buckets = storage.rollups().latency(all(minute(0), minute(15), Duration.ofMinutes(5)));

        assertEquals(List.of(minute(0), minute(5), minute(10)), buckets.stream().map(LatencyBucket::start).toList());
        LatencyBucket merged = buckets.get(0);
        assertEquals(ok(100), merged.counts());
        LatencySketch sketch = LatencySketch.of(first.latency().plus(second.latency()));
        assertEquals(sketch.quantile(0.50), merged.p50(), "p50 by the sketch's own mapping");
        assertEquals(sketch.quantile(0.95), merged.p95(), "p95 by the sketch's own mapping");
        assertEquals(sketch.quantile(0.99), merged.p99(), "p99 by the sketch's own mapping");
        assertNear(95, merged.p95(), "p95 of the merged minutes");
        assertEquals(0.0, buckets.get(1).p99(), "latencies below the sketch's smallest bin read as 0 ms");
        assertEquals(new LatencyBucket(minute(10), OutcomeCounts.ZERO, null, null, null), buckets.get(2),
                "no calls, no percentile");
        assertEquals(List.of(LatencyBucket.empty(minute(100))), storage.rollups().latency(all(minute(100), minute(200),
                null)), "without a step, the one bucket is there, empty");
        assertEquals(List.of(), storage.rollups().latency(all(minute(100), minute(200), Duration.ofMinutes(1))),
                "buckets without calls are absent");
    }

    @Test
    public void oneToolsBucketsAreItsOwnMinutesMergedStepByStep() {
        // two versions of github/search share a bucket; another tool and another server in the same minutes stay out
        CallRollup first = rollup("github", "search", "1.0", minute(0), ok(50), latencies(1, 50));
        CallRollup second = rollup("github", "search", "2.0", minute(3), ok(50), latencies(51, 100));
        CallRollup later = rollup("github", "search", "1.0", minute(7), new OutcomeCounts(8, 1, 1, 0, 0), 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0);
        write(first, second, later, rollup("github", "get", "1.0", minute(0), ok(20), latencies(900, 919)),
                rollup("gitlab", "search", "1.0", minute(3), ok(20), latencies(900, 919)));
        RollupQuery search = new RollupQuery(Optional.of("github"), Optional.of("search"), Optional.empty(), minute(0),
                minute(15), Optional.of(Duration.ofMinutes(5)));

        List<LatencyBucket> buckets = storage.rollups().latency(search);

        assertEquals(List.of(minute(0), minute(5)), buckets.stream().map(LatencyBucket::start).toList());
        LatencySketch merged = LatencySketch.of(first.latency().plus(second.latency()));
        assertEquals(new LatencyBucket(minute(0), ok(100), merged.quantile(0.50), merged.quantile(0.95),
                merged.quantile(0.99)), buckets.get(0));
        assertNear(95, buckets.get(0).p95(), "p95 of the merged minutes");
        assertEquals(new LatencyBucket(minute(5), new OutcomeCounts(8, 1, 1, 0, 0), 0.0, 0.0, 0.0), buckets.get(1));
        List<LatencyBucket> whole = storage.rollups().latency(new RollupQuery(Optional.of("github"),
                Optional.of("search"), Optional.empty(), minute(0), minute(15), Optional.empty()));
        assertEquals(List.of(minute(0)), whole.stream().map(LatencyBucket::start).toList(), "no step: one bucket");
        assertEquals(new OutcomeCounts(108, 1, 1, 0, 0), whole.get(0).counts());
    }

    @Test
    public void aToolsPercentilesComeFromItsSketchesMergedOverTheRange() {
        // the first minute alone would say p95 ≈ 48 ms, the second ≈ 98 ms; merged, the range's p95 is 95 ms
        write(rollup("github", "search", "1.0", minute(0), ok(50), latencies(1, 50)),
                rollup("github", "search", "1.0", minute(1), ok(50), latencies(51, 100)),
                rollup("github", "fast", "1.0", minute(0), ok(10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                rollup("github", "idle", "1.0", minute(0), OutcomeCounts.ZERO));

        List<ToolRow> rows = storage.rollups().tools(server("github", minute(0), minute(2)), ToolSort.NAME, 0, 10).rows();

        assertEquals(List.of("fast", "idle", "search"), rows.stream().map(ToolRow::tool).toList());
        ToolRow search = rows.get(2);
        assertEquals(ok(100), search.counts());
        assertNear(50, search.p50(), "p50");
        assertNear(95, search.p95(), "p95");
        assertNear(99, search.p99(), "p99");
        assertEquals(0.0, rows.get(0).p99(), "latencies below the sketch's smallest bin read as 0 ms");
        assertNull(rows.get(1).p50(), "no calls, no percentile");
    }

    @Test
    public void everyPageOfEverySortCarriesItsToolsPercentiles() {
        List<CallRollup> written = new ArrayList<>();
        for (int tool = 0; tool < 7; tool++) {
            // tool t: t failures, 10 + t calls, latencies from 10·(t + 1) ms up, so each sort orders them differently
            written.add(rollup("github", "tool-" + tool, "1.0", minute(0), new OutcomeCounts(10 - tool, tool, 0, 0, 0),
                    latencies(10 * (7 - tool), 10 * (7 - tool) + 9)));
            written.add(rollup("github", "tool-" + tool, "1.0", minute(1), ok(tool), latencies(100, 99 + tool)));
        }
        write(written.toArray(CallRollup[]::new));
        RollupQuery query = server("github", minute(0), minute(2));
        ToolsPage everything = storage.rollups().tools(query, ToolSort.P95, 0, 100);
        for (ToolSort sort : ToolSort.values()) {
            for (int offset = 0; offset < 7; offset += 3) {
                ToolsPage page = storage.rollups().tools(query, sort, offset, 3);
                assertEquals(7, page.total(), sort + " total");
                for (ToolRow row : page.rows()) {
                    ToolRow full = everything.rows().stream().filter(r -> r.tool().equals(row.tool())).findFirst()
                            .orElseThrow();
                    assertEquals(full, row, sort + " page at " + offset + ": " + row.tool());
                    assertNotNull(row.p95(), sort + " page at " + offset + ": " + row.tool() + " has its p95");
                }
            }
        }
    }

    @Test
    public void toolsAreOrderedByEachSortWithTiesInNameOrder() {
        write(rollup("a", "x", "1", minute(0), 10, 1, 0, 100), // 1 failure, 11 calls, slowest
                rollup("b", "x", "1", minute(0), 20, 0, 2, 10), // 2 failures, 22 calls
                rollup("b", "x", "0", minute(0), 2, 1, 1, 50), // 2 failures, 4 calls
                rollup("c", "x", "1", minute(0), 3, 0, 0, 50)); // 0 failures, 3 calls
        var query = all(minute(0), minute(1), null);

        assertEquals(List.of("b/0", "b/1", "a/1", "c/1"), order(query, ToolSort.FAILURES));
        assertEquals(List.of("b/1", "a/1", "b/0", "c/1"), order(query, ToolSort.CALLS));
        assertEquals(List.of("a/1", "b/0", "c/1", "b/1"), order(query, ToolSort.P95));
        assertEquals(List.of("a/1", "b/0", "b/1", "c/1"), order(query, ToolSort.NAME));
    }

    private List<String> order(RollupQuery query, ToolSort sort) {
        return storage.rollups().tools(query, sort, 0, 100).rows().stream()
                .map(row -> row.server() + "/" + row.serverVersion()).toList();
    }

    @Test
    public void toolPagesCountEveryRowAndNeitherRepeatNorSkip() {
        List<CallRollup> rollups = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // equal calls: the order rests on the tie-break alone
            rollups.add(rollup("srv", "tool" + i, "1", minute(i % 3), 5, 0, 0, 10));
        }
        storage.pipeline().writeRollups(rollups);
        storage.pipeline().writeRollups(rollups);
        var query = all(minute(0), minute(3), null);

        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 7; offset += 3) {
            ToolsPage page = storage.rollups().tools(query, ToolSort.CALLS, offset, 3);
            assertEquals(7, page.total(), "the total counts every row, not the page");
            page.rows().forEach(row -> seen.add(row.tool()));
        }
        assertEquals(List.of("tool0", "tool1", "tool2", "tool3", "tool4", "tool5", "tool6"), seen);
        ToolsPage beyond = storage.rollups().tools(query, ToolSort.CALLS, 50, 3);
        assertEquals(7, beyond.total());
        assertEquals(List.of(), beyond.rows(), "an offset past the end is an empty page");
        assertEquals(new ToolsPage(0, List.of()), storage.rollups().tools(all(minute(10), minute(20), null),
                ToolSort.FAILURES, 0, 3));
    }
}

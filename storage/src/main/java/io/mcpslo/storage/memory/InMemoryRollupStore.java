package io.mcpslo.storage.memory;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.storage.rollup.CountsBucket;
import io.mcpslo.storage.rollup.LatencyBucket;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Rollups from the pipeline's latest revisions, merged per bucket or per tool: counts summed, sketch bins merged, and
 * a tool's percentiles read from its merged sketch (as ClickHouse reads them from sumMap's bins).
 */
final class InMemoryRollupStore implements RollupStore {

    private final InMemoryPipelineStore pipeline;

    InMemoryRollupStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public List<RollupBucket> buckets(RollupQuery query) {
        Map<Instant, RollupBucket> buckets = new TreeMap<>();
        matching(query).forEach(rollup -> buckets.merge(bucketOf(query, rollup),
                new RollupBucket(bucketOf(query, rollup), rollup.counts(), rollup.latency()),
                (a, b) -> new RollupBucket(a.start(), a.counts().plus(b.counts()), a.latency().plus(b.latency()))));
        if (query.step().isEmpty() && buckets.isEmpty()) {
            // as ClickHouse answers a GROUP BY on a constant over no rows: the one bucket, empty
            return List.of(RollupBucket.empty(Times.second(query.from())));
        }
        return List.copyOf(buckets.values());
    }

    @Override
    public List<CountsBucket> counts(RollupQuery query) {
        return buckets(query).stream().map(bucket -> new CountsBucket(bucket.start(), bucket.counts())).toList();
    }

    @Override
    public List<LatencyBucket> latency(RollupQuery query) {
        return buckets(query).stream().map(bucket -> {
            Double[] percentiles = percentiles(bucket.latency());
            return new LatencyBucket(bucket.start(), bucket.counts(), percentiles[0], percentiles[1], percentiles[2]);
        }).toList();
    }

    @Override
    public ToolsPage tools(RollupQuery query, ToolSort sort, int offset, int limit) {
        Map<List<String>, RollupBucket> perTool = new LinkedHashMap<>();
        matching(query).forEach(rollup -> perTool.merge(
                List.of(rollup.key().server(), rollup.key().tool(), rollup.key().serverVersion()),
                new RollupBucket(query.from(), rollup.counts(), rollup.latency()),
                (a, b) -> new RollupBucket(a.start(), a.counts().plus(b.counts()), a.latency().plus(b.latency()))));
        List<ToolRow> rows = new ArrayList<>();
        perTool.forEach((key, merged) -> rows.add(row(key, merged.counts(), merged.latency())));
        rows.sort(sort.order());
        int from = Math.min(offset, rows.size());
        return new ToolsPage(rows.size(), List.copyOf(rows.subList(from, Math.min(rows.size(), from + limit))));
    }

    private static ToolRow row(List<String> key, OutcomeCounts counts, SketchBins latency) {
        Double[] percentiles = percentiles(latency);
        return new ToolRow(key.get(0), key.get(1), key.get(2), counts, percentiles[0], percentiles[1], percentiles[2]);
    }

    /** p50, p95 and p99 of a merged sketch; nulls when it holds no latency. */
    private static Double[] percentiles(SketchBins latency) {
        if (latency.totalCount() == 0) {
            return new Double[3];
        }
        LatencySketch sketch = LatencySketch.of(latency);
        return new Double[] {sketch.quantile(0.50), sketch.quantile(0.95), sketch.quantile(0.99)};
    }

    /** Bucket boundaries are multiples of the step since the epoch; without a step, the range's start (its second). */
    private static Instant bucketOf(RollupQuery query, CallRollup rollup) {
        return query.step().isPresent() ? query.bucketOf(rollup.windowStart()) : Times.second(query.from());
    }

    private Stream<CallRollup> matching(RollupQuery query) {
        return pipeline.rollups().stream()
                .filter(rollup -> Times.inSeconds(rollup.windowStart(), query.from(), query.to()))
                .filter(rollup -> query.server().map(rollup.key().server()::equals).orElse(true))
                .filter(rollup -> query.tool().map(rollup.key().tool()::equals).orElse(true))
                .filter(rollup -> query.version().map(rollup.key().serverVersion()::equals).orElse(true))
                .filter(rollup -> query.servers().map(visible -> visible.contains(rollup.key().server())).orElse(true));
    }
}

package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.rollup.CountsBucket;
import io.mcpslo.storage.rollup.LatencyBucket;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.clickhouse.RowBinaryReader;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.clickhouse.storage.RollupPlanner.Coverage;
import io.mcpslo.clickhouse.storage.RollupPlanner.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rollups from ClickHouse, each query from the tables {@link RollupPlanner} picks: whole days and hours from the
 * roller's tables (one row per key, summed as they are), the rest from the minutes (FINAL collapses re-emitted windows
 * to their latest revision). Counts are summed and sketches merged with sumMap in one statement over all the
 * segments, so a percentile over many minutes, hours or days is computed from the merged sketch.
 */
public final class ClickHouseRollupStore implements RollupStore {

    /**
     * How long the roller's watermark is reused before it is read again (it moves once a minute). Below the roller's
     * swap guard: a pass announces that it will swap in the watermark's hour and day, waits, then swaps, and every
     * reader must have seen the announcement by then, or a one-bucket answer would count the minutes between the old
     * and new watermark twice (in those rows and in the minutes after the old watermark). Reading it costs ~1 ms.
     */
    private static final Duration COVERAGE_TTL = Duration.ofSeconds(1);
    private static final String COLUMNS = "server, tool, server_version, window_start, ok, tool_error, transport_error,"
            + " denied, rate_limited, latency_zero_count, latency_bins, latency_counts";
    private static final String COUNT_COLUMNS = "server, tool, server_version, window_start, ok, tool_error,"
            + " transport_error, denied, rate_limited";
    private static final String COUNT_SUMS = "sum(ok) AS ok, sum(tool_error) AS tool_error, sum(transport_error) AS"
            + " transport_error, sum(denied) AS denied, sum(rate_limited) AS rate_limited";
    private static final String SUMS = COUNT_SUMS + ", sum(latency_zero_count) AS zero_count,"
            + " sumMap(latency_bins, latency_counts) AS bins";
    private static final double[] QUANTILES = {0.50, 0.95, 0.99};
    private static final String PERCENTILE_COLUMNS = percentileColumns();

    private final ClickHouseClient client;
    private final boolean planned;
    private volatile CachedCoverage cached;

    private record CachedCoverage(Optional<Coverage> coverage, long readAtNanos) {
    }

    /** A store that reads the coarsest table that answers each query. */
    public ClickHouseRollupStore(ClickHouseClient client) {
        this(client, true);
    }

    /**
     * @param planned false: every query reads the minutes only, as before the hourly and daily tables existed (the
     *                query benchmark's "before")
     */
    public ClickHouseRollupStore(ClickHouseClient client, boolean planned) {
        this.client = client;
        this.planned = planned;
    }

    /** The segments {@link #buckets} reads for a query (summed over the tools). */
    public List<Segment> plan(RollupQuery query) {
        return plan(query, true);
    }

    /** The segments a query reads; {@code summedOverTools} false keeps tools apart (the tools table). */
    private List<Segment> plan(RollupQuery query, boolean summedOverTools) {
        return RollupPlanner.plan(query.from(), query.to(), query.step(), shape(query, summedOverTools), coverage());
    }

    @Override
    public List<RollupBucket> buckets(RollupQuery query) {
        List<RollupBucket> buckets = new ArrayList<>();
        for (JsonNode row : client.query("SELECT toUInt64(" + bucketExpression(query) + ") AS bucket, " + SUMS + " FROM "
                + rows(query, true, COLUMNS) + " GROUP BY bucket ORDER BY bucket")) {
            buckets.add(bucket(Instant.ofEpochSecond(row.get("bucket").asLong()), row));
        }
        return buckets;
    }

    @Override
    public List<CountsBucket> counts(RollupQuery query) {
        List<CountsBucket> buckets = new ArrayList<>();
        for (JsonNode row : client.query("SELECT toUInt64(" + bucketExpression(query) + ") AS bucket, " + COUNT_SUMS
                + " FROM " + rows(query, true, COUNT_COLUMNS) + " GROUP BY bucket ORDER BY bucket")) {
            buckets.add(new CountsBucket(Instant.ofEpochSecond(row.get("bucket").asLong()), counts(row)));
        }
        return buckets;
    }

    /**
     * Segments whose rows are each one bucket (one server's rolled minutes at 1m, five minutes at 5m, hours at 1h,
     * days at 1d) are read row by row, each row's percentiles from its own bins; the rest are grouped by bucket and
     * their sketches merged with sumMap. Both kinds hold whole buckets (segment bounds fall on the step), so no bucket
     * comes from both. sumMap costs ~0.35 µs per bin even when a bucket has one row: 30 days by 5 minutes of a
     * server took 0.5–0.9 s in ClickHouse through GROUP BY, ~30 ms row by row.
     */
    @Override
    public List<LatencyBucket> latency(RollupQuery query) {
        List<Segment> segments = plan(query, true);
        if (query.server().isPresent() && query.tool().isPresent()) {
            return mergedInJava(query, segments);
        }
        boolean oneServer = shape(query, true) == RollupPlanner.Shape.SERVER;
        List<Segment> perRow = segments.stream()
                .filter(segment -> oneServer && segment.table().rowPerBucket(query.step())).toList();
        List<Segment> grouped = segments.stream().filter(segment -> !perRow.contains(segment)).toList();
        List<String> selects = new ArrayList<>();
        if (!grouped.isEmpty()) {
            selects.add("SELECT bucket, ok, tool_error, transport_error, denied, rate_limited" + PERCENTILE_COLUMNS
                    + " FROM (SELECT toUInt64(" + bucketExpression(query) + ") AS bucket, " + SUMS + " FROM "
                    + rows(query, grouped, COLUMNS, "") + " GROUP BY bucket)");
        }
        if (!perRow.isEmpty()) {
            selects.add("SELECT bucket, ok, tool_error, transport_error, denied, rate_limited" + PERCENTILE_COLUMNS
                    + " FROM (SELECT toUInt64(toUInt32(window_start)) AS bucket, ok, tool_error, transport_error, denied,"
                    + " rate_limited, latency_zero_count AS zero_count, tuple(latency_bins, latency_counts) AS bins"
                    + " FROM " + rows(query, perRow, COLUMNS, "") + ")");
        }
        List<LatencyBucket> buckets = new ArrayList<>();
        client.queryRowBinary("SELECT bucket, ok, tool_error, transport_error, denied, rate_limited, zero_count, n, q0,"
                + " q1, q2 FROM (" + String.join(" UNION ALL ", selects) + ") ORDER BY bucket", row -> {
                    Instant start = Instant.ofEpochSecond(row.uint64());
                    OutcomeCounts counts = counts(row);
                    long zeroCount = row.uint64();
                    long n = row.uint64();
                    Double[] percentiles = new Double[QUANTILES.length];
                    for (int i = 0; i < QUANTILES.length; i++) {
                        percentiles[i] = percentile(QUANTILES[i], n, zeroCount, row.int32());
                    }
                    buckets.add(new LatencyBucket(start, counts, percentiles[0], percentiles[1], percentiles[2]));
                });
        return buckets;
    }

    /**
     * One tool of one server: its rows are few (a row a minute at most, ~50,000 for the longest range a step allows)
     * and narrow (a tool's minute holds a dozen bins), so they are read as stored, in RowBinary, and merged here.
     * sumMap costs 18.16 ~0.35 µs per bin, and formatting the answer as JSON as much again: one tool's 30 days by 5
     * minutes took ~240 ms that way, ~100 ms this way. A server's rows are ten times wider: they stay with sumMap.
     */
    private List<LatencyBucket> mergedInJava(RollupQuery query, List<Segment> segments) {
        Map<Long, RollupAggregate> merged = new HashMap<>();
        client.queryRowBinary("SELECT toUInt32(window_start), ok, tool_error, transport_error, denied, rate_limited,"
                + " latency_zero_count, latency_bins, latency_counts FROM " + rows(query, segments, COLUMNS, ""), row -> {
                    long bucket = query.bucketOf(Instant.ofEpochSecond(row.uint32())).getEpochSecond();
                    merged.merge(bucket, new RollupAggregate(counts(row), bins(row)), RollupAggregate::plus);
                });
        List<LatencyBucket> buckets = new ArrayList<>();
        merged.forEach((bucket, aggregate) -> buckets.add(new LatencyBucket(Instant.ofEpochSecond(bucket),
                aggregate.counts(), quantile(aggregate.latency(), 0), quantile(aggregate.latency(), 1),
                quantile(aggregate.latency(), 2))));
        buckets.sort(Comparator.comparing(LatencyBucket::start));
        return buckets;
    }

    private static Double quantile(SketchBins bins, int which) {
        double value = bins.quantile(QUANTILES[which]);
        return Double.isNaN(value) ? null : value;
    }

    /**
     * Sorted by counts or names, the tools are ordered and paged on their counts alone and only the page's rows get
     * their sketches merged: the merge costs ten times the counts, and a fleet has thousands of tools. Sorted by
     * p95, every tool's sketch is merged.
     */
    @Override
    public ToolsPage tools(RollupQuery query, ToolSort sort, int offset, int limit) {
        if (sort == ToolSort.P95) {
            List<ToolRow> rows = toolRows(query, "", true);
            rows.sort(sort.order());
            return page(rows, offset, limit);
        }
        List<ToolRow> counted = toolRows(query, "", false);
        counted.sort(sort.order());
        ToolsPage page = page(counted, offset, limit);
        if (page.rows().isEmpty()) {
            return page;
        }
        Map<List<String>, ToolRow> withPercentiles = new HashMap<>();
        // one string per key: 18.16 checks a tuple IN list ~10 ms slower over a month's tables. A key that collides
        // (a '\0' inside a name) only adds a row of its own to the answer, which the lookup below ignores.
        for (ToolRow row : toolRows(query, " AND concat(server, '\\0', tool, '\\0', server_version) IN ("
                + page.rows().stream().map(row -> SqlLiteral.string(row.server() + "\0" + row.tool() + "\0"
                        + row.serverVersion())).collect(Collectors.joining(", ")) + ")", true)) {
            withPercentiles.put(List.of(row.server(), row.tool(), row.serverVersion()), row);
        }
        return new ToolsPage(page.total(), page.rows().stream().map(row -> withPercentiles.getOrDefault(
                List.of(row.server(), row.tool(), row.serverVersion()), row)).toList());
    }

    /**
     * Every tool of the query (and the extra filter), summed over the range; with percentiles or without (nulls). The
     * percentiles of a tool's merged bins are read here by the Java sketch, not in SQL: the array expressions cost
     * 18.16 ~8 ms for a page of 50 tools, more than sending the bins. The bins come in RowBinary: as JSON, 18.16 took
     * ~20 ms more to write a month of 1,000 tools' bins and Jackson as long again to read them.
     */
    private List<ToolRow> toolRows(RollupQuery query, String extraFilter, boolean withPercentiles) {
        List<ToolRow> rows = new ArrayList<>();
        if (withPercentiles) {
            client.queryRowBinary("SELECT server, tool, server_version, " + SUMS + " FROM "
                    + rows(query, false, COLUMNS, extraFilter) + " GROUP BY server, tool, server_version", row -> {
                        String server = row.string();
                        String tool = row.string();
                        String version = row.string();
                        OutcomeCounts counts = counts(row);
                        SketchBins bins = bins(row);
                        rows.add(new ToolRow(server, tool, version, counts, quantile(bins, 0), quantile(bins, 1),
                                quantile(bins, 2)));
                    });
            return rows;
        }
        for (JsonNode row : client.query("SELECT server, tool, server_version, " + COUNT_SUMS + " FROM "
                + rows(query, false, COUNT_COLUMNS, extraFilter) + " GROUP BY server, tool, server_version")) {
            rows.add(new ToolRow(row.get("server").asText(), row.get("tool").asText(),
                    row.get("server_version").asText(), counts(row), null, null, null));
        }
        return rows;
    }

    private static ToolsPage page(List<ToolRow> sorted, int offset, int limit) {
        int from = Math.min(offset, sorted.size());
        return new ToolsPage(sorted.size(), List.copyOf(sorted.subList(from, Math.min(sorted.size(), from + limit))));
    }

    /**
     * The columns {@link #percentile} reads from a merged row ({@code bins}, {@code zero_count}): the total and,
     * per quantile, the bin holding the rank q·(n − 1) as DDSketch finds it: the first whose cumulative count, with
     * the zero bucket's, exceeds the rank. Only the bin's index leaves ClickHouse; its value is computed by the Java
     * sketch's own mapping, so it equals what the sketch says for the same rollups.
     */
    private static String percentileColumns() {
        StringBuilder columns = new StringBuilder(", zero_count, arraySum(tupleElement(bins, 2)) + zero_count AS n");
        for (int i = 0; i < QUANTILES.length; i++) {
            columns.append(", tupleElement(bins, 1)[arrayFirstIndex(c -> c + zero_count > ").append(QUANTILES[i])
                    .append(" * (n - 1), arrayCumSum(tupleElement(bins, 2)))] AS q").append(i);
        }
        return columns.toString();
    }

    /** A percentile read by {@link #PERCENTILE_COLUMNS}: null without latency, "0 ms" in the zero bucket. */
    private static Double percentile(double quantile, long n, long zeroCount, int binIndex) {
        return n == 0 ? null : zeroCount > quantile * (n - 1) ? 0.0 : LatencySketch.binValue(binIndex);
    }

    private static String bucketExpression(RollupQuery query) {
        return query.step()
                .map(step -> "intDiv(toUInt32(window_start), " + step.toSeconds() + ") * " + step.toSeconds())
                .orElse(String.valueOf(query.from().getEpochSecond()));
    }

    private String rows(RollupQuery query, boolean summedOverTools, String columns) {
        return rows(query, summedOverTools, columns, "");
    }

    /** The query's rollup rows (these columns, and a further filter), every segment's, as one table expression. */
    private String rows(RollupQuery query, boolean summedOverTools, String columns, String extraFilter) {
        return rows(query, plan(query, summedOverTools), columns, extraFilter);
    }

    /** The query's rollup rows in these segments, as one table expression. */
    private String rows(RollupQuery query, List<Segment> segments, String columns, String extraFilter) {
        String filters = filter("server", query.server()) + filter("tool", query.tool())
                + filter("server_version", query.version()) + query.servers().map(ClickHouseRollupStore::within).orElse("")
                + extraFilter;
        // one read per table: a range's head and tail in the minutes share their granules, so read them once.
        // FINAL tables are filtered in PREWHERE: every filter here names sort-key columns only, so a row's revisions
        // pass or fail together and filtering before the merge keeps its latest. 18.16 does not move a WHERE to
        // PREWHERE under FINAL; it read every column of the granules, sketches too, merged them, then filtered:
        // one tool's 30 days took 80-390 ms that way, 20-40 ms with PREWHERE.
        Map<RollupPlanner.Table, List<Segment>> byTable = new EnumMap<>(RollupPlanner.Table.class);
        segments.forEach(segment -> byTable.computeIfAbsent(segment.table(), t -> new ArrayList<>()).add(segment));
        return "(" + byTable.entrySet().stream().map(entry -> "SELECT " + columns + " FROM " + client.database() + "."
                + entry.getKey().tableName() + (entry.getKey().revisions() ? " FINAL PREWHERE (" : " WHERE (")
                + entry.getValue().stream().map(segment -> "window_start >= toDateTime(" + segment.from().getEpochSecond()
                        + ") AND window_start < toDateTime(" + segment.to().getEpochSecond() + ")")
                        .collect(Collectors.joining(" OR ")) + ")" + filters)
                .collect(Collectors.joining(" UNION ALL ")) + ")";
    }

    /**
     * No server or tool named (the whole fleet, or a team's many servers): the by-time minutes serve it best, and
     * summed over every tool and version, the servers' merged hours and days; one server named and its tools summed:
     * that server's merged minutes, hours and days.
     */
    private static RollupPlanner.Shape shape(RollupQuery query, boolean summedOverTools) {
        if (query.server().isEmpty() && query.tool().isEmpty()
                && query.servers().map(servers -> servers.size() > 3).orElse(true)) {
            return summedOverTools && query.version().isEmpty() ? RollupPlanner.Shape.FLEET_TOTAL
                    : RollupPlanner.Shape.FLEET;
        }
        boolean serverOnly = query.server().isPresent() && query.tool().isEmpty() && query.version().isEmpty();
        return serverOnly && summedOverTools ? RollupPlanner.Shape.SERVER : RollupPlanner.Shape.OTHER;
    }

    private Optional<Coverage> coverage() {
        if (!planned) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        CachedCoverage current = cached;
        if (current == null || now - current.readAtNanos() > COVERAGE_TTL.toNanos()) {
            current = new CachedCoverage(RollupRoller.state(client)
                    .map(state -> new Coverage(state.rolledThrough(), state.byTimeFrom(), state.fiveMinutes(),
                            !state.swapping())), now);
            cached = current;
        }
        return current.coverage();
    }

    private static OutcomeCounts counts(JsonNode row) {
        return new OutcomeCounts(row.get("ok").asLong(), row.get("tool_error").asLong(),
                row.get("transport_error").asLong(), row.get("denied").asLong(), row.get("rate_limited").asLong());
    }

    /** The five outcome counts, next in a RowBinary row (ok, tool_error, transport_error, denied, rate_limited). */
    private static OutcomeCounts counts(RowBinaryReader row) {
        return new OutcomeCounts(row.uint64(), row.uint64(), row.uint64(), row.uint64(), row.uint64());
    }

    /** A sketch, next in a RowBinary row: the zero count, the bin indexes, their counts. */
    private static SketchBins bins(RowBinaryReader row) {
        long zeroCount = row.uint64();
        return new SketchBins(row.int32Array(), row.uint64Array(), zeroCount);
    }

    private static RollupBucket bucket(Instant start, JsonNode row) {
        return new RollupBucket(start, counts(row), sketchBins(row));
    }

    private static SketchBins sketchBins(JsonNode row) {
        JsonNode bins = row.get("bins");
        int[] indexes = new int[bins.get(0).size()];
        long[] binCounts = new long[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = bins.get(0).get(i).asInt();
            binCounts[i] = bins.get(1).get(i).asLong();
        }
        return new SketchBins(indexes, binCounts, row.get("zero_count").asLong());
    }

    private static String within(Set<String> servers) {
        return servers.isEmpty() ? " AND 0" : " AND server IN ("
                + String.join(", ", servers.stream().sorted().map(SqlLiteral::string).toList()) + ")";
    }

    private static String filter(String column, Optional<String> value) {
        return value.map(v -> " AND " + column + " = " + SqlLiteral.string(v)).orElse("");
    }
}

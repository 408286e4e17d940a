package io.mcpslo.storage.rollup;

import io.mcpslo.engine.rollup.OutcomeCounts;
import java.util.Comparator;
import java.util.List;

/**
 * Reads merged rollups; buckets without calls may be absent, except that a query without a step has its one bucket
 * (starting at the range's start) even when it is empty.
 */
public interface RollupStore {

    /** Counts and the merged latency sketch per bucket: for reads that need the sketch itself (reports). */
    List<RollupBucket> buckets(RollupQuery query);

    /** Counts per bucket, without latency: no sketch is merged or moved. */
    List<CountsBucket> counts(RollupQuery query);

    /** Counts and the p50, p95 and p99 of each bucket's merged sketch, as {@link #tools} reads a tool's. */
    List<LatencyBucket> latency(RollupQuery query);

    /**
     * The query's range merged per (server, tool, server version), in the given order, {@code limit} rows from
     * {@code offset}, with the number of rows in all.
     */
    ToolsPage tools(RollupQuery query, ToolSort sort, int offset, int limit);

    /** One tool at one server version over a range: counts and latency percentiles (null without calls). */
    record ToolRow(String server, String tool, String serverVersion, OutcomeCounts counts, Double p50, Double p95,
                   Double p99) {
    }

    /** A page of the tools table and how many rows the whole table has. */
    record ToolsPage(int total, List<ToolRow> rows) {
    }

    /** Orders for the tools table: the page shows the worst first. */
    enum ToolSort {
        FAILURES(Comparator.comparingLong((ToolRow row) -> row.counts().toolError() + row.counts().transportError())
                .reversed()),
        CALLS(Comparator.comparingLong((ToolRow row) -> row.counts().calls()).reversed()),
        P95(Comparator.comparing(ToolRow::p95, Comparator.nullsLast(Comparator.reverseOrder()))),
        NAME(Comparator.comparing(ToolRow::server));

        private final Comparator<ToolRow> order;

        ToolSort(Comparator<ToolRow> primary) {
            // ties in a stable order, so pages neither repeat nor skip rows
            this.order = primary.thenComparing(ToolRow::server).thenComparing(ToolRow::tool)
                    .thenComparing(ToolRow::serverVersion);
        }

        public Comparator<ToolRow> order() {
            return order;
        }
    }
}

package io.mcpslo.storage.report;

import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore;
import io.mcpslo.storage.rollup.RollupStore.ToolRow;
import io.mcpslo.storage.rollup.RollupStore.ToolSort;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The report reads that any back end answers from its {@link RollupStore} (through its planner, so a past week reads
 * days and hours rather than minutes): written once, for every {@link ReportStore}.
 */
public final class RollupReports {

    private RollupReports() {
    }

    /** The latency bins of every call of a scope in [from, to), merged. */
    public static SketchBins latency(RollupStore rollups, SloScope scope, Instant from, Instant to) {
        var query = new RollupQuery(Optional.ofNullable(scope.server()), Optional.ofNullable(scope.tool()),
                Optional.ofNullable(scope.serverVersion()), from, to, Optional.empty());
        return rollups.buckets(query).stream().map(RollupBucket::latency).reduce(SketchBins.EMPTY, SketchBins::plus);
    }

    /** Calls and failures per (server, tool), every server version together, in server and tool order. */
    public static List<ToolFailures> toolCalls(RollupStore rollups, List<String> servers, Instant from, Instant to) {
        var query = new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(), from, to, Optional.empty(),
                servers.isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(servers)));
        Map<List<String>, ToolFailures> byTool = new TreeMap<>(Comparator
                .comparing((List<String> key) -> key.get(0)).thenComparing(key -> key.get(1)));
        for (ToolRow row : rollups.tools(query, ToolSort.NAME, 0, Integer.MAX_VALUE).rows()) {
            var counts = row.counts();
            byTool.merge(List.of(row.server(), row.tool()), new ToolFailures(row.server(), row.tool(),
                    counts.calls(), counts.toolError(), counts.transportError()), (a, b) -> new ToolFailures(
                    a.server(), a.tool(), a.calls() + b.calls(), a.toolErrors() + b.toolErrors(),
                    a.transportErrors() + b.transportErrors()));
        }
        return List.copyOf(byTool.values());
    }
}

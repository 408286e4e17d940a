package io.mcpslo.storage.memory;

import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore;
import io.mcpslo.storage.rollup.RollupStore.ToolRow;
import io.mcpslo.storage.rollup.RollupStore.ToolSort;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Report inputs from the pipeline's rollups (through the same reads the rollup store and SLO history answer) and
 * alerts; rendered reports kept here, the latest generated per (team, ISO week, format).
 */
final class InMemoryReportStore implements ReportStore {

    private static final Comparator<StoredReport> LISTED = Comparator.comparing(StoredReport::isoWeek).reversed()
            .thenComparing(StoredReport::team).thenComparing(StoredReport::format);

    private final InMemoryPipelineStore pipeline;
    private final RollupStore rollups;
    private final SloHistory history;
    private final Map<List<String>, Versioned> reports = new LinkedHashMap<>();

    /** A kept report and its version, the millisecond it was generated (the table's version column). */
    private record Versioned(StoredReport report, long version) {
    }

    InMemoryReportStore(InMemoryPipelineStore pipeline, RollupStore rollups, SloHistory history) {
        this.pipeline = pipeline;
        this.rollups = rollups;
        this.history = history;
    }

    @Override
    public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency) {
        return history.minutes(scope, from, to, withLatency);
    }

    @Override
    public SketchBins latency(SloScope scope, Instant from, Instant to) {
        var query = new RollupQuery(Optional.ofNullable(scope.server()), Optional.ofNullable(scope.tool()),
                Optional.ofNullable(scope.serverVersion()), from, to, Optional.empty());
        return rollups.buckets(query).stream().map(RollupBucket::latency).reduce(SketchBins.EMPTY, SketchBins::plus);
    }

    /** Per (server, tool), every server version together, in server and tool order. */
    @Override
    public List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
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

    @Override
    public List<Map<String, String>> alertTransitions(String sloId, Instant from, Instant to) {
        return pipeline.alerts().stream()
                .filter(alert -> alert.sloId().equals(sloId) && Times.inSeconds(alert.at(), from, to))
                .sorted(Comparator.comparing(alert -> alert.at().toEpochMilli()))
                .map(alert -> {
                    Map<String, String> transition = new LinkedHashMap<>();
                    transition.put("dedup_key", alert.dedupKey());
                    transition.put("alert", alert.kind().label());
                    transition.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
                    transition.put("to", alert.to().name().toLowerCase(Locale.ROOT));
                    transition.put("at", Instant.ofEpochMilli(alert.at().toEpochMilli()).toString());
                    return transition;
                }).toList();
    }

    /** The version is the generation time: a report generated earlier than the one kept does not replace it. */
    @Override
    public synchronized void save(StoredReport report) {
        var kept = new Versioned(new StoredReport(report.team(), report.isoWeek(), report.format(),
                Times.second(report.generatedAt()), report.body()), report.generatedAt().toEpochMilli());
        reports.merge(List.of(report.team(), report.isoWeek(), report.format()), kept,
                (old, added) -> added.version() >= old.version() ? added : old);
    }

    @Override
    public synchronized List<StoredReport> list(List<String> teams, int limit) {
        return reports.values().stream().map(Versioned::report).filter(report -> teams.isEmpty() || teams.contains(report.team()))
                .sorted(LISTED).limit(Math.max(0, limit))
                .map(report -> new StoredReport(report.team(), report.isoWeek(), report.format(), report.generatedAt(),
                        null))
                .toList();
    }

    @Override
    public synchronized Optional<StoredReport> find(String team, String isoWeek, String format) {
        return Optional.ofNullable(reports.get(List.of(team, isoWeek, format))).map(Versioned::report);
    }
}

package io.mcpslo.storage.memory;

import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.report.RollupReports;
import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.storage.rollup.RollupStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
        return RollupReports.latency(rollups, scope, from, to);
    }

    @Override
    public List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
        return RollupReports.toolCalls(rollups, servers, from, to);
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

package io.mcpslo.storage.memory;

import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.storage.rollup.RollupStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Report inputs from the pipeline's rollups and alerts; rendered reports kept here. */
final class InMemoryReportStore implements ReportStore {

    private final InMemoryPipelineStore pipeline;
    private final RollupStore rollups;
    private final SloHistory history;

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
        throw new UnsupportedOperationException("reports: in-memory store being built");
    }

    @Override
    public List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
        throw new UnsupportedOperationException("reports: in-memory store being built");
    }

    @Override
    public List<Map<String, String>> alertTransitions(String sloId, Instant from, Instant to) {
        throw new UnsupportedOperationException("reports: in-memory store being built");
    }

    @Override
    public void save(StoredReport report) {
        throw new UnsupportedOperationException("reports: in-memory store being built");
    }

    @Override
    public List<StoredReport> list(List<String> teams, int limit) {
        throw new UnsupportedOperationException("reports: in-memory store being built");
    }

    @Override
    public Optional<StoredReport> find(String team, String isoWeek, String format) {
        throw new UnsupportedOperationException("reports: in-memory store being built");
    }
}

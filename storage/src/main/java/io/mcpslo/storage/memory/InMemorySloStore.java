package io.mcpslo.storage.memory;

import io.mcpslo.storage.slo.AlertQuery;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloSnapshot;
import io.mcpslo.storage.slo.SloStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SLO snapshots and alerts from the pipeline; acknowledgements kept here. */
final class InMemorySloStore implements SloStore {

    private final InMemoryPipelineStore pipeline;

    InMemorySloStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public List<SloSnapshot> latestSnapshots(Collection<String> sloIds, Instant now) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }

    @Override
    public List<SloSnapshot> snapshots(String sloId, Instant from, Instant to, Duration step) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }

    @Override
    public Map<String, List<Double>> hourBurnSeries(Collection<String> sloIds, Instant from, Instant to,
                                                    Duration step) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }

    @Override
    public List<AlertRecord> alerts(AlertQuery query) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }

    @Override
    public List<AlertRecord> transitions(String dedupKey) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }

    @Override
    public void acknowledge(String dedupKey, String by, String comment, Instant at) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }

    @Override
    public Optional<String> alertTeam(String dedupKey) {
        throw new UnsupportedOperationException("slos: in-memory store being built");
    }
}

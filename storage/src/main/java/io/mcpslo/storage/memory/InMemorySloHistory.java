package io.mcpslo.storage.memory;

import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An SLO's past from the pipeline's rollups (their latest revisions) and alert transitions. */
final class InMemorySloHistory implements SloHistory {

    private final InMemoryPipelineStore pipeline;

    InMemorySloHistory(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency) {
        Map<Instant, RollupAggregate> minutes = new TreeMap<>();
        for (CallRollup rollup : rollups(scope, from, to)) {
            var aggregate = new RollupAggregate(rollup.counts(), withLatency ? rollup.latency() : SketchBins.EMPTY);
            minutes.merge(rollup.windowStart(), aggregate, RollupAggregate::plus);
        }
        return new LinkedHashMap<>(minutes);
    }

    @Override
    public List<CallRollup> rollups(SloScope scope, Instant from, Instant to) {
        return pipeline.rollups().stream().filter(rollup -> scope.matches(rollup.key()))
                .filter(rollup -> Times.inSeconds(rollup.windowStart(), from, to))
                .sorted(Comparator.comparing(CallRollup::windowStart)).toList();
    }

    /** The last transition of each of the SLO's alert kinds at or after {@code since}, when it left it open. */
    @Override
    public List<AlertState> openAlerts(String sloId, Instant since) {
        Map<String, AlertTransition> last = new LinkedHashMap<>();
        pipeline.alerts().stream()
                .filter(alert -> alert.sloId().equals(sloId) && alert.at().getEpochSecond() >= since.getEpochSecond())
                .forEach(alert -> last.merge(alert.kind().label(), alert,
                        (kept, added) -> added.at().isAfter(kept.at()) ? added : kept));
        return last.values().stream()
                .filter(alert -> alert.to() == AlertStatus.PENDING || alert.to() == AlertStatus.FIRING)
                .map(alert -> new AlertState(sloId, alert.kind(), alert.to(),
                        Instant.ofEpochMilli(alert.at().toEpochMilli()), alert.dedupKey()))
                .toList();
    }
}

package io.mcpslo.processor.topology;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stored SLO history as plain objects: the latest revision of each rollup, alert transitions, a switch to fail. */
final class InMemorySloHistory implements SloHistory {

    private final Map<String, CallRollup> rollups = new TreeMap<>();
    /** The last transition of each (SLO, alert kind), as the state it left the alert in. */
    private final Map<String, AlertState> lastTransitions = new TreeMap<>();
    private boolean unreachable;

    void store(CallRollup rollup) {
        rollups.merge(rollup.key().storeKey(), rollup,
                (kept, added) -> added.revision() > kept.revision() ? added : kept);
    }

    void storeTransition(String sloId, AlertKind kind, AlertStatus to, Instant at, String dedupKey) {
        AlertState state = new AlertState(sloId, kind, to, at, to == AlertStatus.INACTIVE ? null : dedupKey);
        lastTransitions.merge(sloId + '|' + kind.label(), state,
                (kept, added) -> added.since().isAfter(kept.since()) ? added : kept);
    }

    /** While unreachable, every read fails as a ClickHouse that is down would. */
    void unreachable(boolean down) {
        this.unreachable = down;
    }

    @Override
    public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency) {
        Map<Instant, RollupAggregate> minutes = new TreeMap<>();
        for (CallRollup rollup : rollups(scope, from, to)) {
            var aggregate = new RollupAggregate(rollup.counts(), withLatency ? rollup.latency() : SketchBins.EMPTY);
            minutes.merge(rollup.windowStart(), aggregate, RollupAggregate::plus);
        }
        return minutes;
    }

    @Override
    public List<CallRollup> rollups(SloScope scope, Instant from, Instant to) {
        check();
        return rollups.values().stream().filter(rollup -> scope.matches(rollup.key()))
                .filter(rollup -> !rollup.windowStart().isBefore(from) && rollup.windowStart().isBefore(to)).toList();
    }

    @Override
    public List<AlertState> openAlerts(String sloId, Instant since) {
        check();
        return lastTransitions.values().stream()
                .filter(alert -> alert.sloId().equals(sloId) && !alert.since().isBefore(since) && alert.active())
                .toList();
    }

    private void check() {
        if (unreachable) {
            throw new IllegalStateException("ClickHouse unreachable (test)");
        }
    }
}

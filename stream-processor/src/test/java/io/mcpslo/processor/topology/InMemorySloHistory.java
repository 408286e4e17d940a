package io.mcpslo.processor.topology;

import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stored SLO history as plain objects: the latest revision of each rollup, open alerts, and a switch to fail. */
final class InMemorySloHistory implements SloHistory {

    private final Map<String, CallRollup> rollups = new TreeMap<>();
    private final List<AlertState> openAlerts = new ArrayList<>();
    private volatile boolean unreachable;
    private int reads;

    void store(CallRollup rollup) {
        rollups.merge(rollup.key().storeKey(), rollup, (kept, added) -> added.revision() > kept.revision() ? added : kept);
    }

    void storeOpenAlert(AlertState alert) {
        openAlerts.add(alert);
    }

    /** While unreachable, every read fails as a ClickHouse that is down would. */
    void unreachable(boolean down) {
        this.unreachable = down;
    }

    int reads() {
        return reads;
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
        return openAlerts.stream().filter(alert -> alert.sloId().equals(sloId) && !alert.since().isBefore(since))
                .toList();
    }

    private void check() {
        reads++;
        if (unreachable) {
            throw new IllegalStateException("ClickHouse unreachable (test)");
        }
    }
}

package io.mcpslo.processor.topology;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
import java.time.Instant;

/** The in-memory stored history the topology tests stand on answers as ClickHouse does. */
class InMemorySloHistoryTest extends SloHistoryContract {

    private final InMemorySloHistory history = new InMemorySloHistory();

    @Override
    protected SloHistory history() {
        return history;
    }

    @Override
    protected void store(CallRollup rollup) {
        history.store(rollup);
    }

    @Override
    protected void storeTransition(String sloId, AlertKind kind, AlertStatus to, Instant at, String dedupKey) {
        history.storeTransition(sloId, kind, to, at, dedupKey);
    }
}

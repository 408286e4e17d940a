package io.mcpslo.engine.history;

import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.slo.SloScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What storage holds of an SLO's past, read when the processor's own state does not hold it (a restart with wiped
 * state, a new or rescoped SLO): its rollups for the whole window, and its alerts still open. Rollup reads take
 * the latest revision of each (server, tool, version, minute).
 */
public interface SloHistory {

    /**
     * Per minute starting in [from, to), the rollups in scope summed: outcome counts, and the merged latency bins
     * when {@code withLatency} (empty bins otherwise). Minutes without rollups are absent.
     */
    Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency);

    /** Each rollup in scope with a window starting in [from, to), for minutes that may still change. */
    List<CallRollup> rollups(SloScope scope, Instant from, Instant to);

    /** The SLO's alerts whose last recorded transition, at or after {@code since}, left them pending or firing. */
    List<AlertState> openAlerts(String sloId, Instant since);
}

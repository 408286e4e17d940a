package io.mcpslo.storage.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the SLO endpoints read: status snapshots and the alert history with each incident's acknowledgement
 * (acknowledgements are written by the sink, from their topic: {@code PipelineStore#writeAcks}).
 */
public interface SloStore {

    /** The latest snapshot of each of these SLOs that has one. */
    List<SloSnapshot> latestSnapshots(Collection<String> sloIds, Instant now);

    /** The last snapshot of each {@code step} in [from, to), oldest first. */
    List<SloSnapshot> snapshots(String sloId, Instant from, Instant to, Duration step);

    /**
     * For each of the SLOs, the 1-hour burn rate of the last snapshot of each {@code step} in [from, to), oldest
     * first: the overview's sparklines, all in one read.
     */
    Map<String, List<Double>> hourBurnSeries(Collection<String> sloIds, Instant from, Instant to, Duration step);

    List<AlertRecord> alerts(AlertQuery query);

    /** Every transition of the alert with this dedup key (one incident), oldest first; empty when there is none. */
    List<AlertRecord> transitions(String dedupKey);

    /** The team of the alert with this dedup key, or empty when there is none. */
    Optional<String> alertTeam(String dedupKey);
}

package io.mcpslo.processor.sink;

import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.CallEvent;
import java.util.List;

/** Where the stream's results are kept. A batch written twice must read back as if written once. */
public interface PipelineStore {

    /** Prepares the storage (tables); called until it succeeds, before the first write. */
    void prepare();

    /** Writes one batch; returns only when the store has accepted all of it, throws otherwise. */
    void write(Batch batch);

    /** One batch of results, in the order they were consumed. */
    record Batch(List<CallEvent> calls, List<AuditEvent> audits, List<CallRollup> rollups,
                 List<AlertTransition> alerts, List<SloStatus> statuses, List<DeliveryAttempt> deliveries,
                 List<ChainedAudit> chainedAudits, List<AuditDigest> digests) {
        public Batch {
            calls = List.copyOf(calls);
            audits = List.copyOf(audits);
            rollups = List.copyOf(rollups);
            alerts = List.copyOf(alerts);
            statuses = List.copyOf(statuses);
            deliveries = List.copyOf(deliveries);
            chainedAudits = List.copyOf(chainedAudits);
            digests = List.copyOf(digests);
        }

        public Batch(List<CallEvent> calls, List<AuditEvent> audits, List<CallRollup> rollups) {
            this(calls, audits, rollups, List.of(), List.of(), List.of(), List.of(), List.of());
        }

        public int size() {
            return calls.size() + audits.size() + rollups.size() + alerts.size() + statuses.size() + deliveries.size()
                    + chainedAudits.size() + digests.size();
        }
    }
}

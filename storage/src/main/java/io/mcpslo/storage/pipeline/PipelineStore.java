package io.mcpslo.storage.pipeline;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.CallEvent;
import java.util.List;

/**
 * Where the stream's results are kept, one write per table. Rows written twice must read back as if written
 * once. A write returns only when the store accepted all of it; it throws {@link RowsRefused} when the store
 * refused the rows themselves (retrying them cannot help), and any other exception when the store is
 * unavailable (retrying later can).
 */
public interface PipelineStore {

    /** Prepares the storage (tables); called until it succeeds, before the first write. */
    void prepare();

    void writeCalls(List<CallEvent> calls);

    void writeAudits(List<AuditEvent> audits);

    void writeRollups(List<CallRollup> rollups);

    void writeAlerts(List<AlertTransition> alerts);

    void writeStatuses(List<SloStatus> statuses);

    void writeDeliveries(List<DeliveryAttempt> deliveries);

    void writeAuditLog(List<ChainedAudit> chainedAudits);

    void writeDigests(List<AuditDigest> digests);

    /** Silence revisions, kept as their history (the delivery loops read silences from their topic). */
    void writeSilences(List<SilenceRevision> silences);

    /** Acknowledgements of incidents; the alert reads show the latest of each (the pagers read them from their topic). */
    void writeAcks(List<Acknowledgement> acks);

    /** Records the sink could not store, each with why and its original bytes. */
    void writeDeadLetters(List<DeadLetter> deadLetters);

    /** Writes a batch of several kinds at once: how tests and tools seed a store. */
    default void write(Batch batch) {
        writeCalls(batch.calls());
        writeAudits(batch.audits());
        writeRollups(batch.rollups());
        writeAlerts(batch.alerts());
        writeStatuses(batch.statuses());
        writeDeliveries(batch.deliveries());
        writeAuditLog(batch.chainedAudits());
        writeDigests(batch.digests());
    }

    /** One batch of results of several kinds. */
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
    }

    /** The store refused these rows as invalid; sending the same rows again fails the same way. */
    final class RowsRefused extends RuntimeException {
        public RowsRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package io.mcpslo.kafka;

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
import org.apache.kafka.common.serialization.Serdes;

/** Every topic of the pipeline. */
public final class Topics {

    /** Raw events as gateways send them (JSON), keyed by server|tool. */
    public static final Topic<String, byte[]> EVENTS =
            new Topic<>("mcp.events.v1", Serdes.String(), Serdes.ByteArray());
    /** Events refused after acceptance, with the reason and the original bytes. */
    public static final Topic<String, byte[]> DEAD_LETTERS =
            new Topic<>("mcp.events.dlq.v1", Serdes.String(), Serdes.ByteArray());
    /** Validated calls, keyed by server|tool (the rollup's partitioning), in {@link CallEventWire}'s binary form. */
    public static final Topic<String, CallEvent> CALLS =
            new Topic<>("mcp.calls.v1", Serdes.String(), CallEventWire.serde());
    /** Validated audit events. */
    public static final Topic<String, AuditEvent> AUDIT =
            new Topic<>("mcp.audit.v1", Serdes.String(), JsonSerdes.auditEvents());
    /** One-minute call rollups, re-emitted as they grow; keyed by the rollup key. */
    public static final Topic<String, CallRollup> ROLLUPS =
            new Topic<>("mcp.rollups.1m.v1", Serdes.String(), RollupStateSerde.topicSerde());

    /** Alert state transitions (pending, firing, resolved), keyed by dedup key: the alert history and the pager feed. */
    public static final Topic<String, AlertTransition> ALERTS =
            new Topic<>("mcp.alerts.v1", Serdes.String(), SloMessages.alertTransitions());
    /** SLO status snapshots (SLI, budget, burn rates), keyed by SLO id: once a minute per SLO and on transitions. */
    public static final Topic<String, SloStatus> SLO_STATUS =
            new Topic<>("mcp.slo-status.v1", Serdes.String(), SloMessages.sloStatuses());
    /** Every try to deliver an alert to a receiver, keyed by dedup key. */
    public static final Topic<String, DeliveryAttempt> DELIVERIES =
            new Topic<>("mcp.alert-deliveries.v1", Serdes.String(), SloMessages.deliveryAttempts());

    /** Audit events with their hash-chain link, in chain order per partition: what the audit log stores. */
    public static final Topic<String, ChainedAudit> AUDIT_CHAINED =
            new Topic<>("mcp.audit.chained.v1", Serdes.String(), AuditMessages.chainedAudits());
    /** Keyed digests (HMAC) of audit chain links, written periodically. */
    public static final Topic<String, AuditDigest> AUDIT_DIGESTS =
            new Topic<>("mcp.audit.digests.v1", Serdes.String(), AuditMessages.digests());

    /**
     * Silences, keyed by silence id: each create or early expiry publishes the silence's new form. Compacted, so the
     * topic keeps the last form of every silence and a process that reads it from the beginning knows them all.
     */
    public static final Topic<String, SilenceRevision> SILENCES =
            new Topic<>("mcp.silences.v1", Serdes.String(), SilenceMessages.revisions());

    /**
     * Acknowledgements of incidents, keyed by dedup key: the API publishes each; the PagerDuty delivery loops pass
     * them on and the sink keeps them. Compacted, so the last acknowledgement of every incident stays.
     */
    public static final Topic<String, Acknowledgement> ACKS =
            new Topic<>("mcp.acks.v1", Serdes.String(), AckMessages.acknowledgements());

    public static final List<Topic<?, ?>> ALL = List.of(EVENTS, DEAD_LETTERS, CALLS, AUDIT, ROLLUPS, ALERTS, SLO_STATUS,
            DELIVERIES, AUDIT_CHAINED, AUDIT_DIGESTS, SILENCES, ACKS);

    /** Topics that keep the last record per key (cleanup.policy=compact) instead of a time window. */
    public static final List<Topic<?, ?>> COMPACTED = List.of(SILENCES, ACKS);

    private Topics() {
    }
}

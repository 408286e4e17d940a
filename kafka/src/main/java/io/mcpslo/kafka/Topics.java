package io.mcpslo.kafka;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.schemas.AuditEvent;
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
    /** Validated calls, keyed by server|tool (the rollup's partitioning). */
    public static final Topic<String, CallEvent> CALLS =
            new Topic<>("mcp.calls.v1", Serdes.String(), JsonSerdes.callEvents());
    /** Validated audit events. */
    public static final Topic<String, AuditEvent> AUDIT =
            new Topic<>("mcp.audit.v1", Serdes.String(), JsonSerdes.auditEvents());
    /** One-minute call rollups, re-emitted as they grow; keyed by the rollup key. */
    public static final Topic<String, CallRollup> ROLLUPS =
            new Topic<>("mcp.rollups.1m.v1", Serdes.String(), JsonSerdes.callRollups());

    public static final List<Topic<?, ?>> ALL = List.of(EVENTS, DEAD_LETTERS, CALLS, AUDIT, ROLLUPS);

    private Topics() {
    }
}

package io.mcpslo.schemas;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Fields every event carries; optional ones are null when the emitter did not send them. */
public record EventEnvelope(
        UUID eventId,
        Instant ts,
        String source,
        String server,
        String serverVersion,
        String tool,
        String method,
        String protocolVersion,
        String sessionId,
        String user,
        String team,
        String traceId,
        String spanId) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(server, "server");
    }

    /** Kafka key: one server+tool stays in one partition, so its events keep their order. */
    public String partitionKey() {
        return server + "|" + (tool == null ? "" : tool);
    }
}

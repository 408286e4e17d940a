package io.mcpslo.storage.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * A record the sink could not store: where it came from, which table refused it, why, and its bytes exactly as
 * they were on the topic, so it can be inspected and replayed after a fix.
 */
public record DeadLetter(String topic, int partition, long offset, String table, String reason, byte[] payload,
                         Instant at) {
    public DeadLetter {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}

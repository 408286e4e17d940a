package io.mcpslo.storage.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads the records the sink could not store, newest first. */
public interface DeadLetterStore {

    List<StoredDeadLetter> recent(Instant from, Instant to, Optional<String> table, int limit);

    /** One refused record: where it was on Kafka, the table that refused it, why, and its bytes (base64). */
    record StoredDeadLetter(Instant at, String topic, int partition, long offset, String table, String reason,
                            int payloadBytes, String payloadBase64) {
    }
}

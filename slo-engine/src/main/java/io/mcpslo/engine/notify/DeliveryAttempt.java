package io.mcpslo.engine.notify;

import io.mcpslo.engine.alert.AlertStatus;
import java.time.Instant;
import java.util.Objects;

/** One try to tell a receiver about an alert transition, and how it went; every try is recorded. */
public record DeliveryAttempt(String dedupKey, String sloId, String receiver, ReceiverType receiverType,
                              AlertStatus status, int attempt, Instant at, Result result, int httpStatus,
                              String error) {

    /** How a try ended: the receiver took it, it failed (and will be retried), or a silence held it back. */
    public enum Result { DELIVERED, FAILED, SILENCED }

    public DeliveryAttempt {
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(result, "result");
        error = error == null ? "" : error;
    }
}

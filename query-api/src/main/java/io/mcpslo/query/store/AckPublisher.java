package io.mcpslo.query.store;

import io.mcpslo.engine.alert.Acknowledgement;

/** Where the API puts acknowledgements: the pagers and the alert history take them from there. */
public interface AckPublisher {

    /** Publishes an acknowledgement; returns once it is stored for good. */
    void publish(Acknowledgement ack);

    /** The acknowledgement could not be stored now (its store is unreachable); nothing was acknowledged. */
    final class AcksUnavailableException extends RuntimeException {
        public AcksUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

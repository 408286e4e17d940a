package io.mcpslo.query.audit;

import io.mcpslo.schemas.AuditEvent;

/**
 * Writes the API's own acts into the audit trail (reads of the audit log, silences, acknowledgements). They go
 * the way gateways' audit events go, so they are chained and verified like any other. Returns only once the
 * event is stored durably; throws {@link AuditUnavailableException} otherwise, and the request is refused.
 */
public interface AuditRecorder extends AutoCloseable {

    void record(AuditEvent event);

    @Override
    default void close() {
    }

    /** The audit trail cannot take the event now. */
    final class AuditUnavailableException extends RuntimeException {
        public AuditUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

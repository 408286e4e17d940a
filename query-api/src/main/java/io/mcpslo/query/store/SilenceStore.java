package io.mcpslo.query.store;

import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where the API publishes silences and reads them back. */
public interface SilenceStore {

    /** Publishes a silence's new form; returns once it is stored for good and visible to the reads below. */
    void publish(SilenceRevision revision);

    /** Every silence newest first (at most 1,000), or only those that end after {@code now}. */
    List<Silence> silences(boolean includeExpired, Instant now);

    Optional<Silence> silence(String id);

    /** The silences cannot be written or read now (their store is unreachable or still being read). */
    final class SilencesUnavailableException extends RuntimeException {
        public SilencesUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

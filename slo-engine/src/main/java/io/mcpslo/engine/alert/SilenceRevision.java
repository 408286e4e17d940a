package io.mcpslo.engine.alert;

import java.util.Objects;
import java.time.Instant;

/**
 * One form of a silence as it was published (created, or expired early), and when: the later revision of a silence
 * replaces the earlier one.
 */
public record SilenceRevision(Silence silence, Instant revisedAt) {

    public SilenceRevision {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(revisedAt, "revisedAt");
    }
}

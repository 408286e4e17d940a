package io.mcpslo.processor.notify;

import io.mcpslo.engine.alert.Silence;
import java.time.Instant;
import java.util.List;

/** The silences in force; read before every notification (in production: the silences topic, read into memory). */
public interface SilenceSource {

    /** Silences active at {@code now}; throws when they cannot be read (the caller keeps its last answer). */
    List<Silence> active(Instant now);
}

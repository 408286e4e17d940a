package io.mcpslo.query.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which rollups to read: optional server/tool/version filters, the windows starting in [from, to), and the
 * bucket width; an empty step means one bucket over the whole range.
 */
public record RollupQuery(Optional<String> server, Optional<String> tool, Optional<String> version,
                          Instant from, Instant to, Optional<Duration> step) {

    public RollupQuery {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** Start of the bucket an instant falls in: step boundaries are multiples of the step since the epoch. */
    public Instant bucketOf(Instant instant) {
        if (step.isEmpty()) {
            return from;
        }
        long stepSeconds = step.get().toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), stepSeconds) * stepSeconds);
    }
}

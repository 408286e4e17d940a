package io.mcpslo.storage.rollup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which rollups to read: optional server/tool/version filters, the windows starting in [from, to), and the
 * bucket width; an empty step means one bucket over the whole range. {@code servers}, when present, is the set
 * of servers the reader may see: rollups of any other server are left out (an empty set reads nothing).
 */
public record RollupQuery(Optional<String> server, Optional<String> tool, Optional<String> version,
                          Instant from, Instant to, Optional<Duration> step, Optional<Set<String>> servers) {

    public RollupQuery {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        servers = servers.map(Set::copyOf);
    }

    /** A query over every server. */
    public RollupQuery(Optional<String> server, Optional<String> tool, Optional<String> version, Instant from,
                       Instant to, Optional<Duration> step) {
        this(server, tool, version, from, to, step, Optional.empty());
    }

    /** The same query, limited to the servers a reader may see. */
    public RollupQuery onlyServers(Set<String> visible) {
        return new RollupQuery(server, tool, version, from, to, step, Optional.of(visible));
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

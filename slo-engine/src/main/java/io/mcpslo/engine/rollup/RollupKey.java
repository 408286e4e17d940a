package io.mcpslo.engine.rollup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One rollup cell: a server, a tool (or method), a server version and the minute it covers. */
public record RollupKey(String server, String tool, String serverVersion, Instant windowStart) {

    public static final Duration WINDOW = Duration.ofMinutes(1);

    public RollupKey {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(serverVersion, "serverVersion");
        if (windowStart.toEpochMilli() % WINDOW.toMillis() != 0) {
            throw new IllegalArgumentException("windowStart must be on a minute boundary: " + windowStart);
        }
    }

    public static Instant windowStartOf(Instant ts) {
        long millis = ts.toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(millis, WINDOW.toMillis()) * WINDOW.toMillis());
    }

    /** Written out: a key is hashed once per call where rollups are kept in a map (the importer). */
    @Override
    public int hashCode() {
        return ((server.hashCode() * 31 + tool.hashCode()) * 31 + serverVersion.hashCode()) * 31
                + windowStart.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RollupKey key && windowStart.equals(key.windowStart) && tool.equals(key.tool)
                && server.equals(key.server) && serverVersion.equals(key.serverVersion);
    }

    public Instant windowEnd() {
        return windowStart.plus(WINDOW);
    }

    /**
     * A stable text form, used as a state-store and Kafka key. It starts with the zero-padded window start so
     * keys sort by time and a range scan finds every window older than a cut-off.
     */
    public String storeKey() {
        return timePrefix(windowStart) + '\u001f' + server + '\u001f' + tool + '\u001f' + serverVersion;
    }

    /** The sortable time prefix of {@link #storeKey()} for an instant at or after the epoch. */
    public static String timePrefix(Instant instant) {
        String millis = Long.toString(Math.max(0, instant.toEpochMilli()));
        return "0".repeat(Math.max(0, 15 - millis.length())) + millis;
    }
}

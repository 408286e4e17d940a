package io.mcpslo.processor;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * What one processor instance runs ({@code PROCESSOR_ROLES}): {@code streams} is the Kafka Streams application
 * (validation, rollups, SLO evaluation, the audit chain) with the alert deliveries; {@code sink} moves the stored
 * topics into storage and runs storage upkeep (retention). Both by default; apart, storage load scales on its own
 * instances while every instance of a role shares its consumer groups.
 */
public record ProcessorRoles(boolean streams, boolean sink) {

    public static final ProcessorRoles ALL = new ProcessorRoles(true, true);
    private static final int MAX_ECHOED_CHARS = 40;

    public ProcessorRoles {
        if (!streams && !sink) {
            throw new IllegalArgumentException("PROCESSOR_ROLES must name streams, sink or both");
        }
    }

    /** A comma-separated list of {@code streams} and {@code sink}. */
    public static ProcessorRoles parse(String value) {
        boolean streams = false;
        boolean sink = false;
        for (String part : value.split(",", -1)) {
            switch (part.strip().toLowerCase(Locale.ROOT)) {
                case "streams" -> streams = true;
                case "sink" -> sink = true;
                default -> throw new IllegalArgumentException("PROCESSOR_ROLES: unknown role \"" + echo(part.strip())
                        + "\" (roles: streams, sink; comma-separated, e.g. streams,sink)");
            }
        }
        return new ProcessorRoles(streams, sink);
    }

    private static String echo(String part) {
        return part.length() <= MAX_ECHOED_CHARS ? part : part.substring(0, MAX_ECHOED_CHARS) + "…";
    }

    public String describe() {
        StringJoiner roles = new StringJoiner(",");
        if (streams) {
            roles.add("streams");
        }
        if (sink) {
            roles.add("sink");
        }
        return roles.toString();
    }
}

package io.mcpslo.schemas;

import java.util.Locale;

/**
 * How a call ended. The failure locus is defined once, here: {@link #TOOL_ERROR} means the tool ran and
 * returned {@code isError: true}; {@link #TRANSPORT_ERROR} means a JSON-RPC error, HTTP 5xx, expired
 * session, timeout or disconnect.
 */
public enum Outcome {
    OK, TOOL_ERROR, TRANSPORT_ERROR, DENIED, RATE_LIMITED;

    // read for every call the collector, the importer and the sink handle: made once, not per call
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Outcome fromWireName(String wireName) {
        return switch (wireName) {
            case "ok" -> OK;
            case "tool_error" -> TOOL_ERROR;
            case "transport_error" -> TRANSPORT_ERROR;
            case "denied" -> DENIED;
            case "rate_limited" -> RATE_LIMITED;
            case null, default -> throw new IllegalArgumentException("unknown outcome " + wireName);
        };
    }
}

package io.mcpslo.schemas;

import java.util.Locale;

/**
 * How a call ended. The failure locus is defined once, here: {@link #TOOL_ERROR} means the tool ran and
 * returned {@code isError: true}; {@link #TRANSPORT_ERROR} means a JSON-RPC error, HTTP 5xx, expired
 * session, timeout or disconnect.
 */
public enum Outcome {
    OK, TOOL_ERROR, TRANSPORT_ERROR, DENIED, RATE_LIMITED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromWireName(String wireName) {
        for (Outcome outcome : values()) {
            if (outcome.wireName().equals(wireName)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome " + wireName);
    }
}

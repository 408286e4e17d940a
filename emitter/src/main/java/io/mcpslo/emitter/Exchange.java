package io.mcpslo.emitter;

import java.time.Instant;

/**
 * One request a gateway sent and what became of it, as observed on the request path: only references and clock
 * readings, so that hashing, sizing and classifying happen on the emitter's own thread.
 *
 * @param method          the JSON-RPC method
 * @param params          the request's params as the SDK holds them (a record or a map), or null
 * @param startedAt       wall-clock time the request was sent
 * @param durationNanos   monotonic time from sending to the answer (or to giving up)
 * @param end             how it ended
 * @param protocolVersion the MCP revision negotiated on this transport, or null before initialize answered
 * @param serverVersion   the upstream's serverInfo.version, or null
 * @param agent           the MCP client acting for the user (clientInfo name/version), or null
 */
record Exchange(Upstream upstream, String method, Object params, Instant startedAt, long durationNanos, End end,
                String protocolVersion, String serverVersion, String agent) {

    /** How a request ended. */
    sealed interface End {
    }

    /** A JSON-RPC result (a tool's isError answer included). */
    record Result(Object result) implements End {
    }

    /** A JSON-RPC error response. */
    record JsonRpcError(int code) implements End {
    }

    /** No answer: a timeout, a disconnect, or the transport refusing to send ({@code errorType} says which). */
    record NoAnswer(String errorType) implements End {
    }
}

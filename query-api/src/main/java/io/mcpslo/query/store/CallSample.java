package io.mcpslo.query.store;

import java.time.Instant;

/** One stored call, as listed for following a failure to its trace. */
public record CallSample(Instant ts, String server, String tool, String serverVersion, String method, String outcome,
                         double durationMs, Integer errorCode, String errorType, String sessionId, String traceId,
                         String spanId) {
}

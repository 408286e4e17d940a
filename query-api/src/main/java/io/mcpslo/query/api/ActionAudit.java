package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.schemas.ArgsHash;
import java.time.Clock;

/** Writes an API change (an acknowledgement, a silence) to the audit trail, with who made it. */
final class ActionAudit {

    private final AuditRecorder recorder;
    private final Clock clock;

    ActionAudit(AuditRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    static String actor(Context ctx) {
        Principal principal = ctx.attribute(QueryApp.PRINCIPAL);
        return principal == null ? "anonymous" : principal.name();
    }

    void record(Context ctx, String action, String resource, String details, String reason) {
        recorder.record(AuditHandlers.apiAuditEvent(clock.instant(), ctx.attribute(QueryApp.PRINCIPAL), action,
                resource, ArgsHash.of(details), reason));
    }
}

package io.mcpslo.processor.topology;

import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;

/** An event after validation: a call, an audit event, or the dead-letter record that explains its refusal. */
sealed interface Routed {

    record Call(CallEvent event) implements Routed {
    }

    record Audit(AuditEvent event) implements Routed {
    }

    record Refused(byte[] deadLetter) implements Routed {
    }
}

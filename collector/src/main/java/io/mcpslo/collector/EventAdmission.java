package io.mcpslo.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.common.auth.WriteScope;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.McpEvent;
import io.mcpslo.schemas.PrintableText;
import io.mcpslo.schemas.ValidationOutcome;
import io.mcpslo.schemas.Violation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Decides whether one event, in the contract's JSON, is taken in: the schema and the rules beyond it, the sender's
 * right to its {@code source}, servers and kinds (its token's scope), and the audit lateness rule. Both ways in
 * ({@code /v1/events} and OTLP) use it.
 */
final class EventAdmission {

    /** The verdict on one event. */
    sealed interface Verdict {
    }

    record Admitted(McpEvent event) implements Verdict {
    }

    /** A valid event of a server or kind the sender's token may not report: refused, and worth auditing. */
    record OutsideScope(String eventId, String server, Violation violation) implements Verdict {
    }

    /** Every reason the event was refused; {@code eventId} when it could be read. */
    record Refused(String eventId, List<Violation> violations) implements Verdict {
    }

    private final Clock clock;
    private final EventValidator validator;
    private final CollectorConfig config;

    EventAdmission(CollectorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.validator = new EventValidator(clock, config.maxFutureSkew());
    }

    /**
     * @param gatewayId the gateway the sender's token is for, or null when it may send any source (admin)
     * @param scope the servers and kinds the sender's token may report ({@link WriteScope#ANY} for an admin)
     */
    Verdict admit(JsonNode json, String gatewayId, WriteScope scope) {
        return switch (validator.validate(json)) {
            case ValidationOutcome.Accepted ok -> admitValid(ok.event(), gatewayId, scope);
            case ValidationOutcome.Rejected refused -> new Refused(json != null && json.isObject()
                    && json.path("event_id").isTextual() ? abbreviate(json.get("event_id").asText()) : null,
                    refused.violations());
        };
    }

    /** {@link #admit} for an event that already passed {@link EventValidator}: the sender's rights and lateness. */
    Verdict admitValid(McpEvent event, String gatewayId, WriteScope scope) {
        String eventId = event.envelope().eventId().toString();
        String source = event.envelope().source();
        Instant ts = event.envelope().ts();
        if (gatewayId != null && !gatewayId.equals(source)) {
            return new Refused(eventId, List.of(Violation.of("source", "gateway", "this token may only send"
                    + " events of source \"" + gatewayId + "\", not \"" + abbreviate(source) + "\"")));
        }
        String server = event.envelope().server();
        if (!scope.allowsServer(server)) {
            return new OutsideScope(eventId, server, Violation.of("server", "gateway_scope", "this token may"
                    + " send events of " + scope.serversText() + " only, not \"" + abbreviate(server) + "\""));
        }
        if (!scope.allowsKind(kind(event))) {
            return new OutsideScope(eventId, server, Violation.of("kind", "gateway_scope", "this token may send "
                    + scope.kindsText() + " events only, not " + kind(event)));
        }
        if (event instanceof AuditEvent && ts.isBefore(clock.instant().minus(config.allowedLateness()))) {
            return new Refused(eventId, List.of(Violation.of("ts", "audit_lateness", "an audit act must arrive"
                    + " within " + DurationText.format(config.allowedLateness()) + " (ALLOWED_LATENESS) of"
                    + " happening; " + ts + " is older (a back-dated act would land in a partition retention"
                    + " may already have dropped)")));
        }
        return new Admitted(event);
    }

    /** The validator both ways in share, so that the batch parser's streaming read holds events to the same clock. */
    EventValidator validator() {
        return validator;
    }

    private static String kind(McpEvent event) {
        return switch (event) {
            case CallEvent call -> "call";
            case AuditEvent audit -> "audit";
        };
    }

    private static String abbreviate(String value) {
        return PrintableText.abbreviated(value, 64);
    }
}

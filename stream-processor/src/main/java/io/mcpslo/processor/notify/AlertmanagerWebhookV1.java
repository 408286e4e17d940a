package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.schemas.EventCodec;
import java.time.Instant;

/**
 * Our Alertmanager body, version 1: the body Alertmanager itself sends to its webhook receivers (its format
 * {@code "version": "4"}), one alert per transition. Labels identify the alert (they make its fingerprint and
 * grouping, so nothing else goes there); the {@code summary} annotation is the human text.
 */
public record AlertmanagerWebhookV1(String receiver, String groupKey, String status, String sloId, String team,
                                    String alert, String severity, String summary, String rule, Instant startsAt,
                                    Instant endsAt, String link) implements AlertPayload {

    /** Alertmanager's "no end yet". */
    static final String NEVER = "0001-01-01T00:00:00Z";

    public static AlertmanagerWebhookV1 of(String receiverName, AlertTransition transition, String sloLink) {
        boolean resolved = transition.to() == AlertStatus.RESOLVED;
        return new AlertmanagerWebhookV1(receiverName, transition.dedupKey(), resolved ? "resolved" : "firing",
                transition.sloId(), transition.team(), transition.kind().label(),
                PayloadFields.lower(transition.severity()), transition.summary(), transition.rule(),
                transition.incidentStart(), resolved ? transition.at() : null, sloLink);
    }

    @Override
    public ObjectNode json() {
        ObjectNode labels = EventCodec.MAPPER.createObjectNode();
        labels.put("alertname", "SloErrorBudgetBurn");
        labels.put("slo", sloId);
        labels.put("team", team);
        labels.put("alert", alert);
        labels.put("severity", severity);
        ObjectNode annotations = EventCodec.MAPPER.createObjectNode();
        annotations.put("summary", summary);
        annotations.put("rule", rule);

        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("version", "4");
        body.put("groupKey", groupKey);
        body.put("truncatedAlerts", 0);
        body.put("status", status);
        body.put("receiver", receiver);
        body.putObject("groupLabels").put("slo", sloId).put("alert", alert);
        body.set("commonLabels", labels.deepCopy());
        body.set("commonAnnotations", annotations.deepCopy());
        body.put("externalURL", link);
        ObjectNode one = body.putArray("alerts").addObject();
        one.put("status", status);
        one.set("labels", labels);
        one.set("annotations", annotations);
        one.put("startsAt", startsAt.toString());
        one.put("endsAt", endsAt == null ? NEVER : endsAt.toString());
        one.put("generatorURL", link);
        one.put("fingerprint", Integer.toHexString(groupKey.hashCode()));
        return body;
    }
}

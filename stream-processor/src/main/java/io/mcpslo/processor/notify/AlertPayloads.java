package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.common.text.UntrustedText;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.kafka.SloMessages;
import io.mcpslo.schemas.EventCodec;
import java.util.Locale;

/** The request body each receiver type expects for an alert transition. */
final class AlertPayloads {

    private static final String NEVER = "0001-01-01T00:00:00Z";

    private AlertPayloads() {
    }

    static ObjectNode body(ReceiverConfig receiver, AlertTransition transition, String sloLink) {
        return switch (receiver.type()) {
            case WEBHOOK -> webhook(transition, sloLink);
            case PAGERDUTY -> pagerDuty(receiver, transition, sloLink);
            case ALERTMANAGER -> alertmanager(receiver, transition, sloLink);
            case SLACK -> slack(transition, sloLink);
        };
    }

    private static ObjectNode webhook(AlertTransition transition, String sloLink) {
        ObjectNode body = SloMessages.encodeTransition(transition);
        body.put("link", sloLink);
        return body;
    }

    /** PagerDuty Events API v2: trigger and resolve share the dedup key, so PagerDuty folds repeats into one incident. */
    private static ObjectNode pagerDuty(ReceiverConfig receiver, AlertTransition transition, String sloLink) {
        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("routing_key", receiver.routingKey());
        body.put("dedup_key", transition.dedupKey());
        if (transition.to() == AlertStatus.RESOLVED) {
            body.put("event_action", "resolve");
            return body;
        }
        body.put("event_action", "trigger");
        ObjectNode payload = body.putObject("payload");
        payload.put("summary", truncate(transition.summary(), 1024));
        payload.put("source", "mcp-slo");
        payload.put("severity", transition.severity() == Severity.PAGE ? "critical" : "warning");
        payload.put("timestamp", transition.at().toString());
        payload.put("component", transition.sloId());
        payload.put("group", transition.team());
        payload.put("class", transition.kind().label());
        ObjectNode details = payload.putObject("custom_details");
        details.put("rule", transition.rule());
        details.put("budget_remaining", transition.budgetRemainingFraction());
        details.set("burn_rates", SloMessages.encodeTransition(transition).get("burn_rates"));
        body.put("client", "mcp-slo");
        body.put("client_url", sloLink);
        ArrayNode links = body.putArray("links");
        links.addObject().put("href", sloLink).put("text", "SLO " + transition.sloId());
        return body;
    }

    /** The body Alertmanager sends to its webhook receivers (version 4), one alert per transition. */
    private static ObjectNode alertmanager(ReceiverConfig receiver, AlertTransition transition, String sloLink) {
        String status = transition.to() == AlertStatus.RESOLVED ? "resolved" : "firing";
        ObjectNode labels = EventCodec.MAPPER.createObjectNode();
        labels.put("alertname", "SloErrorBudgetBurn");
        labels.put("slo", transition.sloId());
        labels.put("team", transition.team());
        labels.put("alert", transition.kind().label());
        labels.put("severity", transition.severity().name().toLowerCase(Locale.ROOT));
        ObjectNode annotations = EventCodec.MAPPER.createObjectNode();
        annotations.put("summary", transition.summary());
        annotations.put("rule", transition.rule());

        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("version", "4");
        body.put("groupKey", transition.dedupKey());
        body.put("truncatedAlerts", 0);
        body.put("status", status);
        body.put("receiver", receiver.name());
        body.putObject("groupLabels").put("slo", transition.sloId()).put("alert", transition.kind().label());
        body.set("commonLabels", labels.deepCopy());
        body.set("commonAnnotations", annotations.deepCopy());
        body.put("externalURL", sloLink);
        ObjectNode alert = body.putArray("alerts").addObject();
        alert.put("status", status);
        alert.set("labels", labels);
        alert.set("annotations", annotations);
        alert.put("startsAt", transition.incidentStart().toString());
        alert.put("endsAt", transition.to() == AlertStatus.RESOLVED ? transition.at().toString() : NEVER);
        alert.put("generatorURL", sloLink);
        alert.put("fingerprint", Integer.toHexString(transition.dedupKey().hashCode()));
        return body;
    }

    private static ObjectNode slack(AlertTransition transition, String sloLink) {
        String icon = transition.to() == AlertStatus.RESOLVED ? ":white_check_mark:"
                : transition.severity() == Severity.PAGE ? ":rotating_light:" : ":warning:";
        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        // the summary is plain text: Slack's control characters in it must not become mentions or links
        body.put("text", icon + " " + UntrustedText.slack(transition.summary()) + " <" + sloLink + "|details>");
        return body;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}

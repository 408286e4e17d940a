package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.schemas.EventCodec;
import java.time.Instant;
import java.util.Map;

/**
 * Our PagerDuty body, version 1, in PagerDuty's Events API v2 form: trigger, acknowledge and resolve share the dedup
 * key, so PagerDuty folds repeats into one incident. An acknowledge or a resolve carries only the key; a trigger carries the human summary
 * (at most 1,024 characters, PagerDuty's limit) and the machine fields in {@code custom_details}, where
 * {@code "schema": "mcp-slo.pagerduty.v1"} names this version.
 */
public record PagerDutyEventV1(String routingKey, String dedupKey, String eventAction, Trigger trigger, String link)
        implements AlertPayload {

    public static final String SCHEMA = "mcp-slo.pagerduty.v1";
    static final int SUMMARY_LIMIT = 1024;

    /** What a trigger says; absent on an acknowledge or a resolve. */
    public record Trigger(String summary, String severity, Instant timestamp, String sloId, String team, String alert,
                          String rule, double budgetRemaining, Map<String, Double> burnRates) {
        public Trigger {
            summary = summary.length() <= SUMMARY_LIMIT ? summary : summary.substring(0, SUMMARY_LIMIT - 1) + "…";
            burnRates = PayloadFields.orderedBurnRates(burnRates);
        }
    }

    public static PagerDutyEventV1 of(String routingKey, AlertTransition transition, String sloLink) {
        if (transition.to() == AlertStatus.RESOLVED) {
            return new PagerDutyEventV1(routingKey, transition.dedupKey(), "resolve", null, sloLink);
        }
        var trigger = new Trigger(transition.summary(), transition.severity() == Severity.PAGE ? "critical" : "warning",
                transition.at(), transition.sloId(), transition.team(), transition.kind().label(), transition.rule(),
                transition.budgetRemainingFraction(), transition.burnRates());
        return new PagerDutyEventV1(routingKey, transition.dedupKey(), "trigger", trigger, sloLink);
    }

    /** Someone took on the incident this receiver was paged for (through the API). */
    public static PagerDutyEventV1 acknowledge(String routingKey, Acknowledgement ack) {
        return new PagerDutyEventV1(routingKey, ack.dedupKey(), "acknowledge", null, null);
    }

    @Override
    public ObjectNode json() {
        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("routing_key", routingKey);
        body.put("dedup_key", dedupKey);
        body.put("event_action", eventAction);
        if (trigger == null) {
            return body;
        }
        ObjectNode payload = body.putObject("payload");
        payload.put("summary", trigger.summary());
        payload.put("source", "mcp-slo");
        payload.put("severity", trigger.severity());
        payload.put("timestamp", trigger.timestamp().toString());
        payload.put("component", trigger.sloId());
        payload.put("group", trigger.team());
        payload.put("class", trigger.alert());
        ObjectNode details = payload.putObject("custom_details");
        details.put("schema", SCHEMA);
        details.put("rule", trigger.rule());
        details.put("budget_remaining", trigger.budgetRemaining());
        PayloadFields.putBurnRates(details.putObject("burn_rates"), trigger.burnRates());
        body.put("client", "mcp-slo");
        body.put("client_url", link);
        body.putArray("links").addObject().put("href", link).put("text", "SLO " + trigger.sloId());
        return body;
    }
}

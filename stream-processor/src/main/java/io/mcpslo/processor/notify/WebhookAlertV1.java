package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.schemas.EventCodec;
import java.time.Instant;
import java.util.Map;

/**
 * The generic webhook's body, {@code "schema": "mcp-slo.alert.v1"}: the transition's machine fields with their
 * exact values (budget and burn rates as computed), the human {@code summary} (objective and window in words), and
 * the link to the SLO.
 */
public record WebhookAlertV1(String dedupKey, String sloId, String team, String alert, String severity, String from,
                             String to, Instant at, Instant incidentStart, String summary, String rule,
                             double budgetRemaining, Map<String, Double> burnRates, String link)
        implements AlertPayload {

    public static final String SCHEMA = "mcp-slo.alert.v1";

    public WebhookAlertV1 {
        burnRates = PayloadFields.orderedBurnRates(burnRates);
    }

    public static WebhookAlertV1 of(AlertTransition transition, String sloLink) {
        return new WebhookAlertV1(transition.dedupKey(), transition.sloId(), transition.team(),
                transition.kind().label(), PayloadFields.lower(transition.severity()),
                PayloadFields.lower(transition.from()), PayloadFields.lower(transition.to()), transition.at(),
                transition.incidentStart(), transition.summary(), transition.rule(),
                transition.budgetRemainingFraction(), transition.burnRates(), sloLink);
    }

    @Override
    public ObjectNode json() {
        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("schema", SCHEMA);
        body.put("dedup_key", dedupKey);
        body.put("slo_id", sloId);
        body.put("team", team);
        body.put("alert", alert);
        body.put("severity", severity);
        body.put("from", from);
        body.put("to", to);
        body.put("at", at.toString());
        body.put("incident_start", incidentStart.toString());
        body.put("summary", summary);
        body.put("rule", rule);
        body.put("budget_remaining", budgetRemaining);
        PayloadFields.putBurnRates(body.putObject("burn_rates"), burnRates);
        body.put("link", link);
        return body;
    }
}

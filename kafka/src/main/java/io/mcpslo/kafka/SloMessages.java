package io.mcpslo.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.BurnRateEvaluator;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The JSON of the SLO topics: alert transitions, SLO status snapshots and delivery attempts, in snake_case with
 * RFC 3339 times. Internal: receivers get their own versioned bodies (stream-processor's {@code AlertPayload}),
 * so these can change with the topics.
 */
public final class SloMessages {

    private SloMessages() {
    }

    public static Serde<AlertTransition> alertTransitions() {
        return serde(SloMessages::encodeTransition, SloMessages::decodeTransition);
    }

    public static Serde<SloStatus> sloStatuses() {
        return serde(SloMessages::encodeStatus, SloMessages::decodeStatus);
    }

    public static Serde<DeliveryAttempt> deliveryAttempts() {
        return serde(SloMessages::encodeAttempt, SloMessages::decodeAttempt);
    }

    private interface Decoder<T> {
        T decode(JsonNode node);
    }

    private static <T> Serde<T> serde(java.util.function.Function<T, ObjectNode> encoder, Decoder<T> decoder) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    try {
                        return EventCodec.MAPPER.writeValueAsBytes(encoder.apply(value));
                    } catch (IOException e) {
                        throw new SerializationException("cannot encode " + value.getClass().getSimpleName(), e);
                    }
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return decoder.decode(EventCodec.MAPPER.readTree(bytes));
                    } catch (IOException | RuntimeException e) {
                        throw new SerializationException("not a valid message on " + topic + ": " + e.getMessage(), e);
                    }
                });
    }

    public static ObjectNode encodeTransition(AlertTransition t) {
        ObjectNode node = EventCodec.MAPPER.createObjectNode();
        node.put("dedup_key", t.dedupKey());
        node.put("slo_id", t.sloId());
        node.put("team", t.team());
        node.put("alert", t.kind().label());
        node.put("severity", lower(t.severity()));
        node.put("from", lower(t.from()));
        node.put("to", lower(t.to()));
        node.put("at", t.at().toString());
        node.put("incident_start", t.incidentStart().toString());
        node.put("summary", t.summary());
        node.put("rule", t.rule());
        node.put("budget_remaining", t.budgetRemainingFraction());
        putBurnRates(node, t.burnRates());
        return node;
    }

    public static AlertTransition decodeTransition(JsonNode node) {
        return new AlertTransition(text(node, "slo_id"), text(node, "team"), AlertKind.fromLabel(text(node, "alert")),
                Severity.valueOf(upper(text(node, "severity"))), AlertStatus.valueOf(upper(text(node, "from"))),
                AlertStatus.valueOf(upper(text(node, "to"))), Instant.parse(text(node, "at")),
                Instant.parse(text(node, "incident_start")), text(node, "dedup_key"), text(node, "summary"),
                burnRates(node.get("burn_rates")), node.get("budget_remaining").asDouble(), text(node, "rule"));
    }

    public static ObjectNode encodeStatus(SloStatus s) {
        ObjectNode node = EventCodec.MAPPER.createObjectNode();
        node.put("slo_id", s.sloId());
        node.put("team", s.team());
        node.put("at", s.at().toString());
        node.put("window_start", s.windowStart().toString());
        node.put("window_end", s.windowEnd().toString());
        if (s.sli() == null) {
            node.putNull("sli");
        } else {
            node.put("sli", s.sli());
        }
        node.put("objective", s.objective());
        ErrorBudget budget = s.budget();
        node.put("good", budget.events().good());
        node.put("bad", budget.events().bad());
        node.put("budget_allowed", budget.allowedBad());
        node.put("budget_remaining_events", budget.remainingBad());
        node.put("budget_consumed", budget.consumedFraction());
        node.put("budget_remaining", budget.remainingFraction());
        if (budget.timeToExhaustion() == null) {
            node.putNull("time_to_exhaustion_s");
        } else {
            node.put("time_to_exhaustion_s", budget.timeToExhaustion().toSeconds());
        }
        putBurnRates(node, s.burnRates());
        ArrayNode rules = node.putArray("rules");
        for (BurnRateEvaluator.RuleState rule : s.rules()) {
            ObjectNode r = rules.addObject();
            r.put("severity", lower(rule.rule().severity()));
            r.put("long_window", DurationText.format(rule.rule().longWindow()));
            r.put("short_window", DurationText.format(rule.rule().shortWindow()));
            r.put("threshold", rule.rule().burnRateThreshold());
            r.put("long_burn_rate", rule.longBurnRate());
            r.put("short_burn_rate", rule.shortBurnRate());
            r.put("guarded", rule.guarded());
            r.put("firing", rule.firing());
        }
        node.put("page", s.pageCondition());
        node.put("ticket", s.ticketCondition());
        node.put("budget_exhausted", s.budgetExhaustedCondition());
        return node;
    }

    public static SloStatus decodeStatus(JsonNode node) {
        List<BurnRateEvaluator.RuleState> rules = new ArrayList<>();
        for (JsonNode r : node.get("rules")) {
            var rule = new MultiWindowRule(Severity.valueOf(upper(text(r, "severity"))),
                    duration(text(r, "long_window")), duration(text(r, "short_window")), r.get("threshold").asDouble());
            rules.add(new BurnRateEvaluator.RuleState(rule, r.get("long_burn_rate").asDouble(),
                    r.get("short_burn_rate").asDouble(), r.get("guarded").asBoolean(), r.get("firing").asBoolean()));
        }
        JsonNode exhaustion = node.get("time_to_exhaustion_s");
        var budget = new ErrorBudget(new EventCounts(node.get("good").asLong(), node.get("bad").asLong()),
                node.get("budget_allowed").asDouble(), node.get("budget_remaining_events").asDouble(),
                node.get("budget_consumed").asDouble(), node.get("budget_remaining").asDouble(),
                exhaustion == null || exhaustion.isNull() ? null : Duration.ofSeconds(exhaustion.asLong()));
        JsonNode sli = node.get("sli");
        return new SloStatus(text(node, "slo_id"), text(node, "team"), Instant.parse(text(node, "at")),
                Instant.parse(text(node, "window_start")), Instant.parse(text(node, "window_end")),
                sli == null || sli.isNull() ? null : sli.asDouble(), node.get("objective").asDouble(), budget,
                burnRates(node.get("burn_rates")), rules, node.get("page").asBoolean(), node.get("ticket").asBoolean(),
                node.get("budget_exhausted").asBoolean());
    }

    public static ObjectNode encodeAttempt(DeliveryAttempt a) {
        ObjectNode node = EventCodec.MAPPER.createObjectNode();
        node.put("dedup_key", a.dedupKey());
        node.put("slo_id", a.sloId());
        node.put("receiver", a.receiver());
        node.put("receiver_type", lower(a.receiverType()));
        node.put("status", lower(a.status()));
        node.put("attempt", a.attempt());
        node.put("at", a.at().toString());
        node.put("result", lower(a.result()));
        node.put("http_status", a.httpStatus());
        node.put("error", a.error());
        return node;
    }

    public static DeliveryAttempt decodeAttempt(JsonNode node) {
        return new DeliveryAttempt(text(node, "dedup_key"), text(node, "slo_id"), text(node, "receiver"),
                ReceiverType.valueOf(upper(text(node, "receiver_type"))), AlertStatus.valueOf(upper(text(node, "status"))),
                node.get("attempt").asInt(), Instant.parse(text(node, "at")),
                DeliveryAttempt.Result.valueOf(upper(text(node, "result"))), node.get("http_status").asInt(),
                text(node, "error"));
    }

    private static void putBurnRates(ObjectNode node, Map<String, Double> burnRates) {
        ObjectNode rates = node.putObject("burn_rates");
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            if (burnRates.containsKey(name)) {
                rates.put(name, burnRates.get(name));
            }
        }
    }

    private static Map<String, Double> burnRates(JsonNode node) {
        Map<String, Double> rates = new HashMap<>();
        if (node != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var entry = it.next();
                rates.put(entry.getKey(), entry.getValue().asDouble());
            }
        }
        return rates;
    }

    private static Duration duration(String text) {
        return DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException("not a duration: " + text));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value.asText();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String upper(String value) {
        return value.toUpperCase(Locale.ROOT);
    }
}

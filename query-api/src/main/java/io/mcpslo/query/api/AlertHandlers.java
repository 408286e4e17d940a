package io.mcpslo.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.query.store.AckPublisher;
import io.mcpslo.storage.slo.AlertQuery;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The alert endpoints: the alert history and acknowledgements. */
final class AlertHandlers {

    static final Pattern DEDUP_KEY = Acknowledgement.DEDUP_KEY;

    private final SloStore store;
    private final AckPublisher acks;
    private final ActionAudit audit;
    private final Clock clock;

    AlertHandlers(SloStore store, AckPublisher acks, ActionAudit audit, Clock clock) {
        this.store = store;
        this.acks = acks;
        this.audit = audit;
        this.clock = clock;
    }

    void alerts(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("state", "slo", "team", "alert", "severity", "from", "to", "limit"));
        String state = RangeParameters.single(params, "state").orElse("all");
        if (!state.equals("all") && !state.equals("active")) {
            throw new BadRequestException("state", "state must be active or all; got " + RangeParameters.abbreviate(state));
        }
        Optional<String> alert = RangeParameters.oneOf(params, "alert", Set.of("page", "ticket", "budget-exhausted"));
        Optional<String> severity = RangeParameters.oneOf(params, "severity", Set.of("page", "ticket"));
        var range = RangeParameters.timeRange(params, clock.instant().plusSeconds(1), Duration.ofDays(7));
        int limit = RangeParameters.limit(params, 100);
        var query = new AlertQuery(state.equals("active"), RangeParameters.sloName(params, "slo"), RangeParameters.sloName(params, "team"), alert,
                severity, ReadScope.teams(ctx).orElse(Set.of()), range.from(), range.to(), limit);
        if (ReadScope.teams(ctx).map(Set::isEmpty).orElse(false)) {
            ctx.json(Map.of("state", state, "alerts", List.of()));
            return;
        }
        ctx.json(Map.of("state", state, "alerts", store.alerts(query).stream().map(AlertHandlers::alertBody).toList()));
    }

    void acknowledge(Context ctx) {
        String dedupKey = ctx.pathParam("dedupKey");
        if (!DEDUP_KEY.matcher(dedupKey).matches()) {
            throw new BadRequestException("dedup_key", "not a dedup key");
        }
        JsonNode body = JsonBodies.object(ctx, Set.of("comment"));
        String by = ActionAudit.actor(ctx);
        String comment = JsonBodies.text(body, "comment", false, null);
        String team = store.alertTeam(dedupKey)
                .orElseThrow(() -> new NotFoundException("dedup_key", "no alert with dedup key " + dedupKey));
        if (!ReadScope.seesTeam(ctx, team)) {
            throw new NotFoundException("dedup_key", "no alert with dedup key " + dedupKey);
        }
        Instant now = clock.instant();
        audit.record(ctx, "alert.acknowledge", "alert/" + dedupKey, body.toString(), comment);
        acks.publish(new Acknowledgement(dedupKey, by, comment, now));
        ctx.status(HttpStatus.CREATED).json(Map.of("dedup_key", dedupKey, "acked_by", by, "acked_at", now.toString()));
    }

    static Map<String, Object> alertBody(AlertRecord alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dedup_key", alert.dedupKey());
        body.put("slo_id", alert.sloId());
        body.put("team", alert.team());
        body.put("alert", alert.kind().label());
        body.put("severity", lower(alert.severity()));
        body.put("from", lower(alert.from()));
        body.put("to", lower(alert.to()));
        body.put("at", alert.at().toString());
        body.put("incident_start", alert.incidentStart().toString());
        body.put("summary", alert.summary());
        body.put("rule", alert.rule());
        body.put("budget_remaining", alert.budgetRemaining());
        body.put("burn_rates", SloHandlers.orderedBurnRates(alert.burnRates()));
        body.put("acked_by", alert.ackedBy().isEmpty() ? null : alert.ackedBy());
        body.put("acked_at", alert.ackedAt() == null ? null : alert.ackedAt().toString());
        return body;
    }

    /** An enum as the API has always written it: the constant's name in lower case. */
    static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}

package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.storage.calls.BadCalls;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.storage.calls.LedgerGroup;
import io.mcpslo.storage.calls.LedgerQuery;
import io.mcpslo.storage.calls.LedgerTotals;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The budget ledger: which calls burned an SLO's budget, by the SLO's own SLI, grouped by tool, version, error code
 * and type, gateway (source), user and session — for the windows that fired an alert, or for any range. A timeslice
 * SLI's budget is counted in minutes: its ledger shares each bad minute equally among the bad calls in it.
 */
final class LedgerHandlers {

    private static final int GROUP_LIMIT = 20;

    private final CallStore calls;
    private final SloStore slos;
    private final Supplier<List<SloDefinition>> definitions;
    private final Clock clock;

    LedgerHandlers(CallStore calls, SloStore slos, Supplier<List<SloDefinition>> definitions, Clock clock) {
        this.calls = calls;
        this.slos = slos;
        this.definitions = definitions;
        this.clock = clock;
    }

    /**
     * GET /api/v1/alerts/{dedup_key}/ledger: from the rule's long window before the alert first fired (or went
     * pending) until it resolved, or until now while it fires; a budget-exhausted alert looks back over the SLO window.
     */
    void alert(Context ctx) {
        RangeParameters.checkNames(ctx.queryParamMap(), Set.of());
        String dedupKey = ctx.pathParam("dedupKey");
        if (!AlertHandlers.DEDUP_KEY.matcher(dedupKey).matches()) {
            throw new BadRequestException("dedup_key", "not a dedup key");
        }
        List<AlertRecord> transitions = slos.transitions(dedupKey);
        if (transitions.isEmpty() || !ReadScope.seesTeam(ctx, transitions.get(0).team())) {
            throw new NotFoundException("dedup_key", "no alert with dedup key " + dedupKey);
        }
        AlertRecord first = transitions.stream().filter(t -> t.to() == AlertStatus.FIRING || t.to() == AlertStatus.PENDING)
                .findFirst().orElse(transitions.get(0));
        SloDefinition slo = definitions.get().stream().filter(s -> s.id().equals(first.sloId())).findFirst()
                .orElseThrow(() -> new NotFoundException("dedup_key", "the SLO " + first.sloId()
                        + " of this alert is no longer defined"));
        Duration lookBack = slo.alerting().rules().stream().filter(rule -> rule.name().equals(first.rule()))
                .map(MultiWindowRule::longWindow).findFirst().orElse(slo.window().nominalLength());
        Instant to = transitions.stream().filter(t -> t.to() == AlertStatus.RESOLVED || t.to() == AlertStatus.INACTIVE)
                .map(AlertRecord::at).filter(at -> at.isAfter(first.at())).findFirst()
                .orElseGet(() -> clock.instant().plusSeconds(1));
        Map<String, Object> body = ledger(slo, first.at().minus(lookBack), to);
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("dedup_key", dedupKey);
        alert.put("alert", first.kind().label());
        alert.put("rule", first.rule());
        alert.put("fired_at", first.at().toString());
        alert.put("look_back", io.mcpslo.engine.slo.DurationText.format(lookBack));
        alert.put("state", AlertHandlers.lower(transitions.get(transitions.size() - 1).to()));
        body.put("alert", alert);
        ctx.json(body);
    }

    /** GET /api/v1/slos/{id}/ledger?from=&to=: the same for a range (default the last hour). */
    void slo(Context ctx) {
        String id = ctx.pathParam("id");
        if (!SloDefinition.NAME.matcher(id).matches()) {
            throw new BadRequestException("id", "an SLO id is lower-case letters, digits, '.', '_' or '-'");
        }
        SloDefinition slo = definitions.get().stream().filter(s -> s.id().equals(id) && ReadScope.seesTeam(ctx, s.team()))
                .findFirst().orElseThrow(() -> new NotFoundException("id", "no SLO with id " + id));
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("from", "to"));
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(Duration.ofHours(1)));
        RangeParameters.checkRange(from, to);
        ctx.json(ledger(slo, from, to));
    }

    private Map<String, Object> ledger(SloDefinition slo, Instant from, Instant to) {
        BadCalls rule = BadCalls.of(slo.sli());
        LedgerQuery query = new LedgerQuery(slo.scope(), rule, from, to);
        LedgerTotals totals = calls.ledgerTotals(query);
        // the budget of the SLO's window ending at `to`: (1 − objective) × the calls it counts, or for a timeslice
        // SLI × the minutes with counted calls (its slices), as the engine counts it
        long windowEvents = rule.perCall()
                ? calls.rolledUpCalls(slo.scope(), rule.valid(), slo.window().start(to), to)
                : calls.rolledUpMinutes(slo.scope(), rule.valid(), slo.window().start(to), to);
        double allowedBad = slo.objective().errorBudget() * windowEvents;
        // what burns the budget: bad calls, or for a timeslice SLI bad minutes
        long burned = rule.perCall() ? totals.badCalls() : totals.badMinutes();
        Map<String, String> searchBase = searchBase(slo, rule, from, to);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slo_id", slo.id());
        body.put("team", slo.team());
        body.put("sli", slo.sli().describe());
        body.put("objective", slo.objective().target());
        body.put("from", from.toString());
        body.put("to", to.toString());
        Map<String, Object> badWhen = new LinkedHashMap<>();
        badWhen.put("counted_outcomes", wireNames(rule.valid()));
        badWhen.put("bad_outcomes", wireNames(rule.bad()));
        badWhen.put("over_ms", rule.overMs().orElse(null));
        badWhen.put("budget_in_calls", rule.perCall());
        body.put("bad_when", badWhen);
        body.put("counted_calls", totals.countedCalls());
        body.put("bad_calls", totals.badCalls());
        body.put("counted_minutes", rule.perCall() ? null : totals.countedMinutes());
        body.put("bad_minutes", rule.perCall() ? null : totals.badMinutes());
        body.put("window_allowed_bad", allowedBad);
        body.put("budget_spent", share(burned, allowedBad));
        body.put("first_bad", totals.firstBad().map(Instant::toString).orElse(null));
        body.put("last_bad", totals.lastBad().map(Instant::toString).orElse(null));
        body.put("calls_link", link(searchBase, Map.of()));
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        LedgerGroup.DIMENSIONS.forEach(dimension -> groups.put(dimension, new java.util.ArrayList<>()));
        for (LedgerGroup group : calls.ledgerGroups(query, GROUP_LIMIT)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", group.value());
            row.put("bad_calls", group.badCalls());
            // a timeslice SLI's group burned its part of the bad minutes: each bad minute shared among its bad calls
            double groupBurned = rule.perCall() ? group.badCalls() : group.badMinuteShare();
            row.put("bad_minutes", rule.perCall() ? null : group.badMinutes());
            row.put("share_of_bad", share(groupBurned, (double) burned));
            row.put("budget_spent", share(groupBurned, allowedBad));
            row.put("first_bad", group.firstBad().toString());
            row.put("last_bad", group.lastBad().toString());
            row.put("calls_link", group.value() == null ? null : link(searchBase, Map.of(group.dimension(), group.value())));
            groups.get(group.dimension()).add(row);
        }
        body.put("groups", groups);
        return body;
    }

    /** The call search that lists exactly the ledger's bad calls (a duration bound as min_ms, inclusive). */
    private static Map<String, String> searchBase(SloDefinition slo, BadCalls rule, Instant from, Instant to) {
        Map<String, String> params = new LinkedHashMap<>();
        if (slo.scope().server() != null) {
            params.put("server", slo.scope().server());
        }
        if (slo.scope().tool() != null) {
            params.put("tool", slo.scope().tool());
        }
        if (slo.scope().serverVersion() != null) {
            params.put("version", slo.scope().serverVersion());
        }
        if (!rule.bad().isEmpty() || rule.valid().size() < Outcome.values().length) {
            params.put("outcome", String.join(",", wireNames(rule.bad().isEmpty() ? rule.valid() : rule.bad())));
        }
        rule.overMs().ifPresent(ms -> params.put("min_ms", ms == Math.rint(ms) ? Long.toString(ms.longValue())
                : Double.toString(ms)));
        params.put("from", from.toString());
        params.put("to", to.toString());
        return params;
    }

    private static String link(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>(base);
        params.putAll(extra);
        StringBuilder link = new StringBuilder("/api/v1/calls?");
        params.forEach((name, value) -> link.append(link.charAt(link.length() - 1) == '?' ? "" : "&").append(name)
                .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return link.toString();
    }

    private static List<String> wireNames(Set<Outcome> outcomes) {
        return outcomes.stream().sorted().map(Outcome::wireName).toList();
    }

    private static Double share(double part, double whole) {
        return whole == 0 ? null : part / whole;
    }
}

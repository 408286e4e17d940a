package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.storage.slo.AlertQuery;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloSnapshot;
import io.mcpslo.storage.slo.SloStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The SLO endpoints: the SLOs with their status, series and alerts. */
final class SloHandlers {

    private static final Map<String, Duration> SERIES_STEPS = Map.of("1m", Duration.ofMinutes(1),
            "5m", Duration.ofMinutes(5), "1h", Duration.ofHours(1), "1d", Duration.ofDays(1));

    private final Supplier<List<SloDefinition>> slos;
    private final SloStore store;
    private final Clock clock;
    private final int maxPoints;

    SloHandlers(Supplier<List<SloDefinition>> slos, SloStore store, Clock clock, int maxPoints) {
        this.slos = slos;
        this.store = store;
        this.clock = clock;
        this.maxPoints = maxPoints;
    }

    void list(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("team", "server", "sparkline_hours"));
        Optional<String> team = RangeParameters.sloName(params, "team");
        Optional<String> server = RangeParameters.name(params, "server");
        int sparklineHours = RangeParameters.integer(params, "sparkline_hours", 1, 48, 0);
        List<SloDefinition> listed = slos.get().stream()
                .filter(slo -> ReadScope.seesTeam(ctx, slo.team()))
                .filter(slo -> team.isEmpty() || team.get().equals(slo.team()))
                .filter(slo -> server.isEmpty() || server.get().equals(slo.scope().server()))
                .toList();
        Map<String, SloSnapshot> latest = new LinkedHashMap<>();
        store.latestSnapshots(listed.stream().map(SloDefinition::id).toList(), clock.instant())
                .forEach(snapshot -> latest.put(snapshot.sloId(), snapshot));
        Map<String, List<AlertRecord>> active = activeAlertsBySlo(ReadScope.teams(ctx).orElse(Set.of()));
        List<Map<String, Object>> body = new ArrayList<>();
        for (SloDefinition slo : listed) {
            body.add(sloBody(slo, latest.get(slo.id()), active.getOrDefault(slo.id(), List.of())));
        }
        if (sparklineHours > 0) {
            // every listed SLO's 1-hour burn rate per 5 minutes, in one read (the overview's sparklines)
            Instant to = RangeParameters.ceilToMinute(clock.instant());
            Map<String, List<Double>> sparklines = store.hourBurnSeries(body.stream().map(s -> (String) s.get("id"))
                    .toList(), to.minus(Duration.ofHours(sparklineHours)), to, Duration.ofMinutes(5));
            body.forEach(s -> s.put("sparkline_burn_1h", sparklines.getOrDefault((String) s.get("id"), List.of())));
        }
        ctx.json(Map.of("slos", body));
    }

    void one(Context ctx) {
        SloDefinition slo = find(ctx.pathParam("id"));
        if (!ReadScope.seesTeam(ctx, slo.team())) {
            throw new NotFoundException("id", "no SLO with id " + slo.id());
        }
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("from", "to", "step"));
        var range = RangeParameters.timeRange(params, RangeParameters.ceilToMinute(clock.instant()), Duration.ofDays(1));
        Instant from = range.from();
        Instant to = range.to();
        String stepText = RangeParameters.single(params, "step").orElse("5m");
        Duration step = RangeParameters.step(stepText, SERIES_STEPS, range, maxPoints);
        SloSnapshot latest = store.latestSnapshots(List.of(slo.id()), clock.instant()).stream().findFirst()
                .orElse(null);
        Map<String, Object> body = sloBody(slo, latest, activeAlertsBySlo(Set.of()).getOrDefault(slo.id(), List.of()));
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("step", stepText);
        body.put("series", store.snapshots(slo.id(), from, to, step).stream().map(SloHandlers::point).toList());
        body.put("alerts", store.alerts(new AlertQuery(false, Optional.of(slo.id()), Optional.empty(), Optional.empty(),
                Optional.empty(), Set.of(), from, to, 500)).stream().map(AlertHandlers::alertBody).toList());
        ctx.json(body);
    }

    private SloDefinition find(String id) {
        if (!SloDefinition.NAME.matcher(id).matches()) {
            throw new BadRequestException("id", "an SLO id is lower-case letters, digits, '.', '_' or '-'");
        }
        return slos.get().stream().filter(slo -> slo.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("id", "no SLO with id " + id));
    }

    private Map<String, List<AlertRecord>> activeAlertsBySlo(Set<String> teams) {
        Instant now = clock.instant();
        Map<String, List<AlertRecord>> active = new LinkedHashMap<>();
        for (AlertRecord alert : store.alerts(new AlertQuery(true, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), teams, now.minus(Duration.ofDays(90)), now.plusSeconds(1), 1000))) {
            active.computeIfAbsent(alert.sloId(), id -> new ArrayList<>()).add(alert);
        }
        return active;
    }

    private static Map<String, Object> sloBody(SloDefinition slo, SloSnapshot latest, List<AlertRecord> active) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", slo.id());
        body.put("team", slo.team());
        body.put("description", slo.description());
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("server", slo.scope().server());
        scope.put("tool", slo.scope().tool());
        scope.put("version", slo.scope().serverVersion());
        body.put("scope", scope);
        body.put("sli_kind", slo.sli().describe());
        body.put("objective", slo.objective().target());
        body.put("window", slo.window().describe());
        body.put("state", state(latest, active));
        if (latest != null) {
            Map<String, Object> status = point(latest);
            status.put("window_start", latest.windowStart().toString());
            status.put("window_end", latest.windowEnd().toString());
            status.put("good", latest.good());
            status.put("bad", latest.bad());
            body.put("status", status);
        } else {
            body.put("status", null);
        }
        body.put("active_alerts", active.stream().map(AlertHandlers::alertBody).toList());
        return body;
    }

    /** The worst of: page, ticket, budget-exhausted firing; "no-data" before the first snapshot; else "ok". */
    private static String state(SloSnapshot latest, List<AlertRecord> active) {
        for (AlertKind kind : List.of(AlertKind.PAGE, AlertKind.BUDGET_EXHAUSTED, AlertKind.TICKET)) {
            if (active.stream().anyMatch(a -> a.kind() == kind && a.to() == AlertStatus.FIRING)) {
                return kind.label();
            }
        }
        if (latest == null || latest.sli() == null) {
            return "no-data";
        }
        return "ok";
    }

    private static Map<String, Object> point(SloSnapshot snapshot) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("at", snapshot.at().toString());
        point.put("sli", snapshot.sli());
        point.put("budget_remaining", snapshot.budgetRemaining());
        point.put("budget_consumed", snapshot.budgetConsumed());
        point.put("time_to_exhaustion_s", snapshot.timeToExhaustionSeconds());
        point.put("burn_rates", orderedBurnRates(snapshot.burnRates()));
        return point;
    }

    static Map<String, Double> orderedBurnRates(Map<String, Double> rates) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            ordered.put(name, rates.get(name));
        }
        return ordered;
    }

}

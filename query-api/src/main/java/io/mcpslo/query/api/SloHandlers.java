package io.mcpslo.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.PrintableText;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.query.store.AlertQuery;
import io.mcpslo.query.store.AlertRecord;
import io.mcpslo.query.store.SloSnapshot;
import io.mcpslo.query.store.SilenceStore;
import io.mcpslo.query.store.SloStore;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The SLO endpoints: SLOs with their status, alerts and acknowledgements, silences. */
final class SloHandlers {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Map<String, Duration> SERIES_STEPS = Map.of("1m", Duration.ofMinutes(1),
            "5m", Duration.ofMinutes(5), "1h", Duration.ofHours(1), "1d", Duration.ofDays(1));
    private static final Duration MAX_SILENCE = Duration.ofDays(30);
    private static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{1,200}");
    static final Pattern DEDUP_KEY = Pattern.compile("[A-Za-z0-9:._-]{1,300}");

    private final Supplier<List<SloDefinition>> slos;
    private final SloStore store;
    private final SilenceStore silences;
    private final AuditRecorder recorder;
    private final Clock clock;
    private final int maxPoints;

    SloHandlers(Supplier<List<SloDefinition>> slos, SloStore store, SilenceStore silences, AuditRecorder recorder,
                Clock clock, int maxPoints) {
        this.slos = slos;
        this.store = store;
        this.silences = silences;
        this.recorder = recorder;
        this.clock = clock;
        this.maxPoints = maxPoints;
    }

    private static String actor(Context ctx) {
        Principal principal = ctx.attribute(QueryApp.PRINCIPAL);
        return principal == null ? "anonymous" : principal.name();
    }

    private void audit(Context ctx, String action, String resource, String details, String reason) {
        recorder.record(AuditHandlers.apiAuditEvent(clock.instant(), ctx.attribute(QueryApp.PRINCIPAL), action,
                resource, ArgsHash.of(details), reason));
    }

    void list(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("team", "server", "sparkline_hours"));
        Optional<String> team = sloName(params, "team");
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
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> RangeParameters.ceilToMinute(clock.instant()));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) {
            throw new BadRequestException("from", "from (" + from + ") must be before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(400)) > 0) {
            throw new BadRequestException("from", "range longer than 400 days");
        }
        String stepText = RangeParameters.single(params, "step").orElse("5m");
        Duration step = SERIES_STEPS.get(stepText);
        if (step == null) {
            throw new BadRequestException("step", "step must be one of 1m, 5m, 1h, 1d; got "
                    + RangeParameters.abbreviate(stepText));
        }
        long points = Duration.between(from, to).toSeconds() / step.toSeconds() + 1;
        if (points > maxPoints) {
            throw new BadRequestException("step", "step " + stepText + " gives " + points
                    + " points over this range; the limit is " + maxPoints);
        }
        SloSnapshot latest = store.latestSnapshots(List.of(slo.id()), clock.instant()).stream().findFirst()
                .orElse(null);
        Map<String, Object> body = sloBody(slo, latest, activeAlertsBySlo(Set.of()).getOrDefault(slo.id(), List.of()));
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("step", stepText);
        body.put("series", store.snapshots(slo.id(), from, to, step).stream().map(SloHandlers::point).toList());
        body.put("alerts", store.alerts(new AlertQuery(false, Optional.of(slo.id()), Optional.empty(), Optional.empty(),
                Optional.empty(), Set.of(), from, to, 500)).stream().map(SloHandlers::alertBody).toList());
        ctx.json(body);
    }

    void alerts(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("state", "slo", "team", "alert", "severity", "from", "to", "limit"));
        String state = RangeParameters.single(params, "state").orElse("all");
        if (!state.equals("all") && !state.equals("active")) {
            throw new BadRequestException("state", "state must be active or all; got " + RangeParameters.abbreviate(state));
        }
        Optional<String> alert = oneOf(params, "alert", Set.of("page", "ticket", "budget-exhausted"));
        Optional<String> severity = oneOf(params, "severity", Set.of("page", "ticket"));
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw new BadRequestException("from", "from (" + from + ") must be before to (" + to + ")");
        }
        int limit = RangeParameters.limit(params, 100);
        var query = new AlertQuery(state.equals("active"), sloName(params, "slo"), sloName(params, "team"), alert,
                severity, ReadScope.teams(ctx).orElse(Set.of()), from, to, limit);
        if (ReadScope.teams(ctx).map(Set::isEmpty).orElse(false)) {
            ctx.json(Map.of("state", state, "alerts", List.of()));
            return;
        }
        ctx.json(Map.of("state", state, "alerts", store.alerts(query).stream().map(SloHandlers::alertBody).toList()));
    }

    void acknowledge(Context ctx) {
        String dedupKey = ctx.pathParam("dedupKey");
        if (!DEDUP_KEY.matcher(dedupKey).matches()) {
            throw new BadRequestException("dedup_key", "not a dedup key");
        }
        JsonNode body = jsonBody(ctx, Set.of("comment"));
        String by = actor(ctx);
        String comment = text(body, "comment", false, null);
        String team = store.alertTeam(dedupKey)
                .orElseThrow(() -> new NotFoundException("dedup_key", "no alert with dedup key " + dedupKey));
        if (!ReadScope.seesTeam(ctx, team)) {
            throw new NotFoundException("dedup_key", "no alert with dedup key " + dedupKey);
        }
        Instant now = clock.instant();
        audit(ctx, "alert.acknowledge", "alert/" + dedupKey, body.toString(), comment);
        store.acknowledge(dedupKey, by, comment, now);
        ctx.status(HttpStatus.CREATED).json(Map.of("dedup_key", dedupKey, "acked_by", by, "acked_at", now.toString()));
    }

    void silences(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("expired"));
        String expired = RangeParameters.single(params, "expired").orElse("false");
        if (!expired.equals("true") && !expired.equals("false")) {
            throw new BadRequestException("expired", "expired must be true or false");
        }
        Instant now = clock.instant();
        ctx.json(Map.of("silences", silences.silences(expired.equals("true"), now).stream()
                .map(silence -> silenceBody(silence, now)).toList()));
    }

    void silence(Context ctx) {
        String id = silenceId(ctx);
        Silence silence = silences.silence(id).orElseThrow(() -> new NotFoundException("id", "no silence with id " + id));
        ctx.json(silenceBody(silence, clock.instant()));
    }

    void createSilence(Context ctx) {
        JsonNode body = jsonBody(ctx, Set.of("matchers", "starts_at", "ends_at", "duration", "comment"));
        JsonNode matcherNode = body.get("matchers");
        if (matcherNode == null || !matcherNode.isObject() || matcherNode.isEmpty()) {
            throw new BadRequestException("matchers", "matchers must be an object such as {\"slo\": \"github-transport\"}");
        }
        Map<String, String> matchers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = matcherNode.fields(); it.hasNext(); ) {
            var entry = it.next();
            String field = "matchers." + RangeParameters.abbreviate(entry.getKey());
            if (!Silence.MATCHER_NAMES.contains(entry.getKey())) {
                throw new BadRequestException(field, "unknown matcher; use slo, team, alert or severity");
            }
            if (!entry.getValue().isTextual() || !TEXT.matcher(entry.getValue().asText()).matches()
                    || PrintableText.problem(entry.getValue().asText()).isPresent()) {
                throw new BadRequestException(field, "must be 1 to 200 printable characters");
            }
            matchers.put(entry.getKey(), entry.getValue().asText());
        }
        Instant now = clock.instant();
        Instant startsAt = optionalInstant(body, "starts_at").orElse(now);
        Instant endsAt;
        if (body.has("ends_at") && body.has("duration")) {
            throw new BadRequestException("duration", "give ends_at or duration, not both");
        } else if (body.has("duration")) {
            String text = text(body, "duration", true, TEXT);
            Duration duration = DurationText.parse(text).orElseThrow(() -> new BadRequestException("duration",
                    "duration must look like 30m, 2h or 1d; got " + RangeParameters.abbreviate(text)));
            endsAt = startsAt.plus(duration);
        } else {
            endsAt = optionalInstant(body, "ends_at").orElseThrow(() ->
                    new BadRequestException("ends_at", "ends_at or duration is required"));
        }
        if (!endsAt.isAfter(startsAt) || !endsAt.isAfter(now)) {
            throw new BadRequestException("ends_at", "the silence must end after it starts and in the future");
        }
        if (Duration.between(startsAt, endsAt).compareTo(MAX_SILENCE) > 0) {
            throw new BadRequestException("ends_at", "a silence lasts at most 30 days");
        }
        String createdBy = actor(ctx);
        String comment = text(body, "comment", true, null);
        Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                endsAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), createdBy, comment);
        audit(ctx, "silence.create", "silence/" + silence.id(), body.toString(), comment);
        silences.publish(new SilenceRevision(silence, now));
        ctx.status(HttpStatus.CREATED).json(silenceBody(silence, now));
    }

    void expireSilence(Context ctx) {
        String id = silenceId(ctx);
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of());
        String by = actor(ctx);
        Silence silence = silences.silence(id).orElseThrow(() -> new NotFoundException("id", "no silence with id " + id));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (!silence.endsAt().isAfter(now)) {
            ctx.json(silenceBody(silence, now));
            return;
        }
        Instant startsAt = silence.startsAt().isBefore(now) ? silence.startsAt() : now.minusSeconds(1);
        Silence expired = new Silence(silence.id(), silence.matchers(), startsAt, now, silence.createdBy(),
                silence.comment());
        audit(ctx, "silence.expire", "silence/" + id, MAPPER.valueToTree(silence.matchers()).toString(),
                "expired by " + by);
        silences.publish(new SilenceRevision(expired, clock.instant()));
        ctx.json(silenceBody(expired, now));
    }

    private String silenceId(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("id", "a silence id is a UUID");
        }
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
        body.put("active_alerts", active.stream().map(SloHandlers::alertBody).toList());
        return body;
    }

    /** The worst of: page, ticket, budget-exhausted firing; "no-data" before the first snapshot; else "ok". */
    private static String state(SloSnapshot latest, List<AlertRecord> active) {
        for (String kind : List.of("page", "budget-exhausted", "ticket")) {
            if (active.stream().anyMatch(a -> a.alert().equals(kind) && a.to().equals("firing"))) {
                return kind;
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

    private static Map<String, Double> orderedBurnRates(Map<String, Double> rates) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            ordered.put(name, rates.get(name));
        }
        return ordered;
    }

    private static Map<String, Object> alertBody(AlertRecord alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dedup_key", alert.dedupKey());
        body.put("slo_id", alert.sloId());
        body.put("team", alert.team());
        body.put("alert", alert.alert());
        body.put("severity", alert.severity());
        body.put("from", alert.from());
        body.put("to", alert.to());
        body.put("at", alert.at().toString());
        body.put("incident_start", alert.incidentStart().toString());
        body.put("summary", alert.summary());
        body.put("rule", alert.rule());
        body.put("budget_remaining", alert.budgetRemaining());
        body.put("burn_rates", orderedBurnRates(alert.burnRates()));
        body.put("acked_by", alert.ackedBy().isEmpty() ? null : alert.ackedBy());
        body.put("acked_at", alert.ackedAt() == null ? null : alert.ackedAt().toString());
        return body;
    }

    private static Map<String, Object> silenceBody(Silence silence, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", silence.id());
        body.put("matchers", silence.matchers());
        body.put("starts_at", silence.startsAt().toString());
        body.put("ends_at", silence.endsAt().toString());
        body.put("state", silence.activeAt(now) ? "active" : silence.endsAt().isAfter(now) ? "pending" : "expired");
        body.put("created_by", silence.createdBy());
        body.put("comment", silence.comment());
        return body;
    }

    private static Optional<String> sloName(Map<String, List<String>> params, String field) {
        Optional<String> value = RangeParameters.single(params, field);
        if (value.isPresent() && !SloDefinition.NAME.matcher(value.get()).matches()) {
            throw new BadRequestException(field, field + " must be lower-case letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    private static Optional<String> oneOf(Map<String, List<String>> params, String field, Set<String> allowed) {
        Optional<String> value = RangeParameters.single(params, field);
        if (value.isPresent() && !allowed.contains(value.get())) {
            throw new BadRequestException(field, field + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + "; got " + RangeParameters.abbreviate(value.get()));
        }
        return value;
    }

    private static JsonNode jsonBody(Context ctx, Set<String> allowed) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequestException("body", "body larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new BadRequestException("body", "body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw new BadRequestException("body", "body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new BadRequestException(RangeParameters.abbreviate(name), "unknown field; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return body;
    }

    private static String text(JsonNode body, String field, boolean required, Pattern pattern) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadRequestException(field, field + " is required");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field, field + " must be a string");
        }
        String text = value.asText();
        if (text.length() > 1000 || (pattern != null && !pattern.matcher(text).matches())
                || (required && text.isBlank())) {
            throw new BadRequestException(field, field + " must be " + (pattern != null ? "1 to 200 printable characters"
                    : "at most 1000 characters" + (required ? " and not blank" : "")));
        }
        // it is stored, and written to the audit trail whose contract refuses the same characters
        PrintableText.problem(text).ifPresent(problem -> {
            throw new BadRequestException(field, field + " " + problem);
        });
        return text;
    }

    private static Optional<Instant> optionalInstant(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field, field + " must be an RFC 3339 timestamp string");
        }
        try {
            Instant instant = OffsetDateTime.parse(value.asText()).toInstant();
            if (instant.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || instant.isAfter(Instant.parse("2200-01-01T00:00:00Z"))) {
                throw new BadRequestException(field, field + " must be between 2000 and 2200");
            }
            return Optional.of(instant);
        } catch (DateTimeException e) {
            throw new BadRequestException(field, field + " must be an RFC 3339 timestamp such as 2026-11-25T10:00:00Z");
        }
    }
}

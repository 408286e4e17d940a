package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.common.auth.Role;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.storage.audit.AuditFilter;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.calls.CallCursor;
import io.mcpslo.storage.calls.CallFilter;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Call search (GET /api/v1/calls, its export) and the session and trace views: raw calls, limited to the servers the
 * token's teams own. Every filter value is checked and refused naming its parameter before it reaches storage.
 */
final class CallHandlers {

    /** Lengths as the event contract allows them: names 200 characters, sessions and users 512. */
    private static final Map<String, Integer> MAX_LENGTH = Map.of("session", 512, "user", 512);
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    private static final Duration DEFAULT_VIEW_RANGE = Duration.ofDays(30);
    private static final int VIEW_LIMIT = 5_000;

    private final CallStore calls;
    private final AuditStore audit;
    private final AuditRecorder recorder;
    private final Supplier<List<SloDefinition>> slos;
    private final Clock clock;
    private final TraceLinks traceLinks;

    CallHandlers(CallStore calls, AuditStore audit, AuditRecorder recorder, Supplier<List<SloDefinition>> slos,
                 Clock clock, TraceLinks traceLinks) {
        this.calls = calls;
        this.audit = audit;
        this.recorder = recorder;
        this.slos = slos;
        this.clock = clock;
        this.traceLinks = traceLinks;
    }

    /** A call that came from a span links to it in the operator's trace viewer (TRACE_URL_TEMPLATE), if one is set. */
    private void linkTrace(Map<String, Object> call) {
        call.put("trace_url", traceLinks.url((String) call.get("trace_id"), (String) call.get("span_id")).orElse(null));
    }

    void list(Context ctx) {
        CallFilter filter = filter(ctx, Set.of("limit", "cursor"));
        int limit = RangeParameters.limit(ctx.queryParamMap(), 100);
        Optional<CallCursor> cursor = RangeParameters.single(ctx.queryParamMap(), "cursor").map(text ->
                CallCursor.decode(text).orElseThrow(() -> new BadRequestException("cursor",
                        "cursor is not one this API gave out; start again without it")));
        List<Map<String, Object>> page = calls.page(filter, cursor, limit);
        page.forEach(this::linkTrace);
        String next = null;
        if (page.size() == limit) {
            Map<String, Object> last = page.get(page.size() - 1);
            next = new CallCursor((Long) last.get("ts_ms"), java.util.UUID.fromString((String) last.get("event_id")))
                    .encode();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", filter.from().toString());
        body.put("to", filter.to().toString());
        body.put("calls", page);
        body.put("next_cursor", next);
        ctx.json(body);
    }

    void export(Context ctx) {
        CallFilter filter = filter(ctx, Set.of("format"));
        AuditStore.ExportFormat format = ExportResponse.format(ctx);
        ctx.header("X-Total-Rows", Long.toString(calls.count(filter)));
        ExportResponse.send(ctx, "calls", filter.from(), filter.to(), format, calls.export(filter, format));
    }

    /** GET /api/v1/sessions/{id}: the session's calls and audit acts in the order they happened. */
    void session(Context ctx) {
        String id = text("session_id", ctx.pathParam("id"), 512);
        view(ctx, "session_id", "session", id);
    }

    /** GET /api/v1/traces/{id}: the same for one trace. */
    void trace(Context ctx) {
        String id = ctx.pathParam("id");
        if (!TRACE_ID.matcher(id).matches()) {
            throw new BadRequestException("trace_id", "a trace id is 32 lower-case hex digits");
        }
        view(ctx, "trace_id", "trace", id);
    }

    private void view(Context ctx, String column, String auditField, String id) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("from", "to"));
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(DEFAULT_VIEW_RANGE));
        RangeParameters.checkRange(from, to);
        Optional<Set<String>> visible = ReadScope.servers(ctx, slos.get());
        List<Map<String, Object>> found = calls.oldestFirst(CallFilter.correlated(column, id, visible, from, to),
                VIEW_LIMIT + 1);
        boolean truncated = found.size() > VIEW_LIMIT;
        List<Map<String, Object>> sessionCalls = truncated ? found.subList(0, VIEW_LIMIT) : found;
        String acts = auditActsVisible(ctx);
        List<Map<String, Object>> auditActs = List.of();
        if (!acts.equals("none")) {
            AuditHandlers.recordRead(recorder, clock, ctx, "audit.read");
            auditActs = audit.page(new AuditFilter(Map.of(AuditFilter.FIELDS.get(auditField), id), from, to),
                    Optional.empty(), VIEW_LIMIT).stream()
                    .filter(act -> acts.equals("all") || AuditEvent.BREAK_GLASS_ACTIONS.contains((String) act.get("action")))
                    .toList();
        }
        if (sessionCalls.isEmpty() && auditActs.isEmpty()) {
            throw new NotFoundException(column, "no calls" + (acts.equals("none") ? "" : " or audit acts") + " of "
                    + auditField + " " + RangeParameters.abbreviate(id) + " between " + from + " and " + to
                    + " on the servers this token may read");
        }
        List<Map<String, Object>> timeline = new ArrayList<>();
        sessionCalls.forEach(call -> timeline.add(item("call", call)));
        auditActs.forEach(act -> timeline.add(item("audit", act)));
        timeline.sort(Comparator.comparingLong(item -> (Long) item.get("ts_ms")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(column, id);
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("calls", sessionCalls.size());
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome.wireName(), sessionCalls.stream().filter(c -> c.get("outcome").equals(outcome.wireName()))
                    .count());
        }
        body.put("outcomes", outcomes);
        body.put("first_failure", sessionCalls.stream().filter(c -> !c.get("outcome").equals("ok")).findFirst()
                .orElse(null));
        body.put("first", timeline.get(0).get("ts"));
        body.put("last", timeline.get(timeline.size() - 1).get("ts"));
        body.put("audit_acts", acts);
        body.put("truncated", truncated);
        body.put("timeline", timeline);
        ctx.json(body);
    }

    /** Auditors (and admins) see every audit act; an sre the break-glass acts, as on the burn-rate charts. */
    private static String auditActsVisible(Context ctx) {
        Principal principal = ctx.attribute(QueryApp.PRINCIPAL);
        if (principal == null) {
            return "none";
        }
        return principal.has(new Role.Auditor()) ? "all" : principal.has(new Role.Sre()) ? "break-glass" : "none";
    }

    private static Map<String, Object> item(String kind, Map<String, Object> row) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", kind);
        item.putAll(row);
        return item;
    }

    /** The filter of a search or export request, limited to the servers its token may read. */
    private CallFilter filter(Context ctx, Set<String> extra) {
        Map<String, List<String>> params = ctx.queryParamMap();
        Set<String> allowed = new HashSet<>(CallFilter.FIELDS.keySet());
        allowed.addAll(List.of("outcome", "error_code", "min_ms", "from", "to"));
        allowed.addAll(extra);
        RangeParameters.checkNames(params, allowed);
        Map<String, String> equals = new HashMap<>();
        for (var entry : CallFilter.FIELDS.entrySet()) {
            Optional<String> value = RangeParameters.single(params, entry.getKey());
            if (value.isEmpty()) {
                continue;
            }
            if (entry.getKey().equals("trace") && !TRACE_ID.matcher(value.get()).matches()) {
                throw new BadRequestException("trace", "trace must be 32 lower-case hex digits (a W3C trace id)");
            }
            equals.put(entry.getValue(), text(entry.getKey(), value.get(), MAX_LENGTH.getOrDefault(entry.getKey(), 200)));
        }
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(DEFAULT_RANGE));
        RangeParameters.checkRange(from, to);
        Optional<Set<String>> visible = ReadScope.serversFor(ctx, slos.get(),
                Optional.ofNullable(equals.get("server")));
        return new CallFilter(equals, outcomes(params), errorCode(params), minMs(params), visible, from, to);
    }

    private static String text(String field, String value, int maxLength) {
        if (value.isEmpty() || value.length() > maxLength || value.chars().anyMatch(Character::isISOControl)
                || io.mcpslo.schemas.PrintableText.problem(value).isPresent()) {
            throw new BadRequestException(field, field + " must be 1 to " + maxLength + " printable characters");
        }
        return value;
    }

    /** One outcome or several, comma-separated: {@code outcome=tool_error,transport_error}. */
    private static Set<Outcome> outcomes(Map<String, List<String>> params) {
        Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
        RangeParameters.single(params, "outcome").ifPresent(text -> {
            for (String name : text.split(",", -1)) {
                try {
                    outcomes.add(Outcome.fromWireName(name));
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException("outcome", "outcome must be ok, tool_error, transport_error, denied or"
                            + " rate_limited (several separated by commas); got " + RangeParameters.abbreviate(text));
                }
            }
        });
        return outcomes;
    }

    private static Optional<Integer> errorCode(Map<String, List<String>> params) {
        return RangeParameters.single(params, "error_code").map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new BadRequestException("error_code", "error_code must be a whole number (a JSON-RPC code or HTTP"
                        + " status); got " + RangeParameters.abbreviate(text));
            }
        });
    }

    private static Optional<Double> minMs(Map<String, List<String>> params) {
        return RangeParameters.single(params, "min_ms").map(text -> {
            try {
                double ms = Double.parseDouble(text);
                if (ms >= 0 && ms <= 86_400_000 && text.matches("[0-9.]+")) {
                    return ms;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw new BadRequestException("min_ms", "min_ms must be a number of milliseconds from 0 to 86400000; got "
                    + RangeParameters.abbreviate(text));
        });
    }
}

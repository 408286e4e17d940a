package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.storage.audit.AuditCursor;
import io.mcpslo.storage.audit.AuditFilter;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.query.audit.AuditVerifier;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/** The auditor's endpoints. Every one of them first writes who asked what into the audit trail itself. */
final class AuditHandlers {

    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]{1,512}");
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    private static final Duration MAX_RANGE = Duration.ofDays(800);

    private final AuditStore store;
    private final AuditRecorder recorder;
    private final AuditVerifier verifier;
    private final Clock clock;
    private final TraceLinks traceLinks;

    AuditHandlers(AuditStore store, AuditRecorder recorder, AuditVerifier verifier, Clock clock,
                  TraceLinks traceLinks) {
        this.store = store;
        this.recorder = recorder;
        this.verifier = verifier;
        this.clock = clock;
        this.traceLinks = traceLinks;
    }

    void list(Context ctx) {
        Set<String> allowed = new HashSet<>(AuditFilter.FIELDS.keySet());
        allowed.addAll(List.of("from", "to", "limit", "cursor"));
        RangeParameters.checkNames(ctx.queryParamMap(), allowed);
        AuditFilter filter = filter(ctx);
        int limit = RangeParameters.limit(ctx.queryParamMap(), 100);
        Optional<AuditCursor> cursor = RangeParameters.single(ctx.queryParamMap(), "cursor").map(text ->
                AuditCursor.decode(text).orElseThrow(() -> new BadRequestException("cursor",
                        "cursor is not one this API gave out; start again without it")));
        audited(ctx, "audit.read");
        List<Map<String, Object>> events = store.page(filter, cursor, limit);
        events.forEach(event -> traceLinks.url((String) event.get("trace_id"), (String) event.get("span_id"))
                .ifPresent(url -> event.put("trace_url", url)));
        String next = null;
        if (events.size() == limit) {
            Map<String, Object> last = events.get(events.size() - 1);
            next = new AuditCursor((Long) last.get("ts_ms"), (String) last.get("event_id"),
                    ((Integer) last.get("chain_partition")).longValue(), (Long) last.get("chain_seq")).encode();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", filter.from().toString());
        body.put("to", filter.to().toString());
        body.put("events", events);
        body.put("next_cursor", next);
        ctx.json(body);
    }

    void export(Context ctx) {
        Set<String> allowed = new HashSet<>(AuditFilter.FIELDS.keySet());
        allowed.addAll(List.of("from", "to", "format"));
        RangeParameters.checkNames(ctx.queryParamMap(), allowed);
        AuditFilter filter = filter(ctx);
        AuditStore.ExportFormat exportFormat = ExportResponse.format(ctx);
        audited(ctx, "audit.export");
        long total = store.count(filter);
        InputStream rows = store.export(filter, exportFormat);
        ctx.header("X-Audit-Total-Rows", Long.toString(total));
        ExportResponse.send(ctx, "audit", filter.from(), filter.to(), exportFormat, rows);
    }

    void verify(Context ctx) {
        RangeParameters.checkNames(ctx.queryParamMap(), Set.of("from", "to"));
        Instant to = RangeParameters.instant(ctx.queryParamMap(), "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(ctx.queryParamMap(), "from").orElse(to.minus(Duration.ofDays(1)));
        RangeParameters.checkRange(from, to, MAX_RANGE);
        audited(ctx, "audit.verify");
        AuditVerifier.Report report = verifier.verify(store, from, to);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("intact", report.intact());
        body.put("rows_checked", report.rowsChecked());
        body.put("chains", report.chains());
        body.put("digests_checked", report.digestsChecked());
        body.put("problem_count", report.problemCount());
        body.put("first_broken", report.firstBroken());
        body.put("problems", report.problems());
        ctx.json(body);
    }

    void breakGlass(Context ctx) {
        RangeParameters.checkNames(ctx.queryParamMap(), Set.of("from", "to", "limit"));
        Instant to = RangeParameters.instant(ctx.queryParamMap(), "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(ctx.queryParamMap(), "from").orElse(to.minus(Duration.ofDays(7)));
        RangeParameters.checkRange(from, to, MAX_RANGE);
        int limit = RangeParameters.limit(ctx.queryParamMap(), 500);
        audited(ctx, "audit.break-glass");
        ctx.json(Map.of("from", from.toString(), "to", to.toString(), "acts", store.breakGlass(from, to, limit)));
    }

    private AuditFilter filter(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        Map<String, String> equals = new HashMap<>();
        for (var entry : AuditFilter.FIELDS.entrySet()) {
            Optional<String> value = RangeParameters.single(params, entry.getKey());
            if (value.isEmpty()) {
                continue;
            }
            if (!PRINTABLE.matcher(value.get()).matches()) {
                throw new BadRequestException(entry.getKey(), entry.getKey() + " must be 1 to 512 printable characters");
            }
            if (entry.getKey().equals("decision") && !Set.of("allow", "deny").contains(value.get())) {
                throw new BadRequestException("decision", "decision must be allow or deny");
            }
            equals.put(entry.getValue(), value.get());
        }
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(DEFAULT_RANGE));
        RangeParameters.checkRange(from, to, MAX_RANGE);
        return new AuditFilter(equals, from, to);
    }

    /** Writes "who asked what, when" before answering; a read that cannot be audited is not served. */
    private void audited(Context ctx, String action) {
        recordRead(recorder, clock, ctx, action);
    }

    /** Writes who read the audit log with which request; throws when the trail cannot take it. */
    static void recordRead(AuditRecorder recorder, Clock clock, Context ctx, String action) {
        Principal principal = ctx.attribute(QueryApp.PRINCIPAL);
        Map<String, Object> asked = new TreeMap<>(ctx.queryParamMap());
        asked.put("path", ctx.path());
        recorder.record(apiAuditEvent(clock.instant(), principal, action, "audit_log",
                ArgsHash.of(EventCodec.MAPPER.valueToTree(asked)),
                RangeParameters.abbreviate(ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()))));
    }

    /** An audit event for an act done through this API, by the token's principal. */
    static AuditEvent apiAuditEvent(Instant at, Principal principal, String action, String resource, String argsHash,
                                    String reason) {
        String actor = principal == null ? "anonymous" : principal.name();
        var envelope = new EventEnvelope(UUID.randomUUID(), at, "query-api", "mcp-slo", null, null, null, null, null,
                actor, null, null, null);
        return new AuditEvent(envelope, actor, "query-api", action, resource, argsHash, AuditEvent.Decision.ALLOW, null,
                "ok", reason.isEmpty() ? null : reason);
    }
}

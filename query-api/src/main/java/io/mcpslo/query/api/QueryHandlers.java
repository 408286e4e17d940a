package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.query.store.CallSample;
import io.mcpslo.query.store.RollupBucket;
import io.mcpslo.query.store.RollupQuery;
import io.mcpslo.query.store.RollupStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** GET /api/v1/latency, /failures, /tools and /calls, each limited to the servers the token may read. */
final class QueryHandlers {

    private static final Set<String> FAILED = Set.of("tool_error", "transport_error", "denied", "rate_limited");

    private final RollupStore store;
    private final Supplier<List<SloDefinition>> slos;
    private final Clock clock;
    private final int maxPoints;
    private final TraceLinks traceLinks;

    QueryHandlers(RollupStore store, Supplier<List<SloDefinition>> slos, Clock clock, int maxPoints,
                  TraceLinks traceLinks) {
        this.store = store;
        this.slos = slos;
        this.clock = clock;
        this.maxPoints = maxPoints;
        this.traceLinks = traceLinks;
    }

    /** The request's query, limited to the servers its token may read; another team's server is 404. */
    private RollupQuery query(Context ctx) {
        return scoped(ctx, RangeParameters.parse(ctx.queryParamMap(), clock, maxPoints));
    }

    private RollupQuery scoped(Context ctx, RollupQuery query) {
        Optional<Set<String>> visible = ReadScope.servers(ctx, slos.get());
        if (visible.isEmpty()) {
            return query;
        }
        if (query.server().isPresent() && !visible.get().contains(query.server().get())) {
            throw new NotFoundException("server", "no server " + RangeParameters.abbreviate(query.server().get())
                    + " among the servers this token's teams own (those their SLOs name)");
        }
        return query.onlyServers(visible.get());
    }

    void latency(Context ctx) {
        RollupQuery query = query(ctx);
        List<Map<String, Object>> points = RollupSeries.complete(query, store.buckets(query)).stream().map(bucket -> {
            LatencySketch sketch = LatencySketch.of(bucket.latency());
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("start", bucket.start().toString());
            point.put("calls", bucket.counts().calls());
            point.put("p50_ms", quantile(sketch, 0.50));
            point.put("p95_ms", quantile(sketch, 0.95));
            point.put("p99_ms", quantile(sketch, 0.99));
            return point;
        }).toList();
        Map<String, Object> body = header(query);
        body.put("relative_accuracy", LatencySketch.RELATIVE_ACCURACY);
        body.put("points", points);
        ctx.json(body);
    }

    void failures(Context ctx) {
        RollupQuery query = query(ctx);
        List<Map<String, Object>> points = RollupSeries.complete(query, store.buckets(query)).stream()
                .map(QueryHandlers::failurePoint).toList();
        Map<String, Object> body = header(query);
        body.put("points", points);
        ctx.json(body);
    }

    /** GET /api/v1/tools: per tool and server version over the range, for comparing versions side by side. */
    void tools(Context ctx) {
        RollupQuery query = query(ctx);
        List<Map<String, Object>> tools = store.byTool(query).stream().map(tool -> {
            Map<String, Object> item = failurePoint(tool.merged());
            item.remove("start");
            item.put("tool", tool.tool());
            item.put("server_version", tool.serverVersion());
            LatencySketch sketch = LatencySketch.of(tool.merged().latency());
            item.put("p50_ms", quantile(sketch, 0.50));
            item.put("p95_ms", quantile(sketch, 0.95));
            item.put("p99_ms", quantile(sketch, 0.99));
            return item;
        }).toList();
        Map<String, Object> body = header(query);
        body.put("tools", tools);
        ctx.json(body);
    }

    /**
     * GET /api/v1/calls: the newest stored calls (server, tool, version, from, to as for the rollups; {@code outcome}
     * one outcome or {@code failed}; {@code limit} 1–1000, default 100), each with a {@code trace_url} when it came
     * from a span and a trace-viewer template is set.
     */
    void calls(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        Set<String> allowed = new HashSet<>(RangeParameters.ALLOWED);
        allowed.remove("step");
        allowed.addAll(List.of("outcome", "limit"));
        RangeParameters.checkNames(params, allowed);
        Map<String, List<String>> range = new HashMap<>(params);
        range.keySet().removeAll(List.of("outcome", "limit"));
        range.put("step", List.of("all"));
        RollupQuery query = scoped(ctx, RangeParameters.parse(range, clock, maxPoints));
        Set<String> outcomes = RangeParameters.single(params, "outcome").map(QueryHandlers::outcomes).orElse(Set.of());
        List<Map<String, Object>> calls = store.recentCalls(query, outcomes, RangeParameters.limit(params, 100))
                .stream().map(this::call).toList();
        Map<String, Object> body = header(query);
        body.remove("step");
        body.put("calls", calls);
        ctx.json(body);
    }

    private static Set<String> outcomes(String text) {
        if (text.equals("failed")) {
            return FAILED;
        }
        if (!FAILED.contains(text) && !text.equals("ok")) {
            throw new BadRequestException("outcome", "outcome must be one of ok, tool_error, transport_error, denied,"
                    + " rate_limited, failed; got " + RangeParameters.abbreviate(text));
        }
        return Set.of(text);
    }

    private Map<String, Object> call(CallSample call) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("ts", call.ts().toString());
        item.put("server", call.server());
        item.put("tool", call.tool());
        item.put("server_version", call.serverVersion());
        item.put("method", call.method());
        item.put("outcome", call.outcome());
        item.put("duration_ms", call.durationMs());
        item.put("error_code", call.errorCode());
        item.put("error_type", call.errorType());
        item.put("session_id", call.sessionId());
        item.put("trace_id", call.traceId());
        item.put("span_id", call.spanId());
        item.put("trace_url", traceLinks.url(call.traceId(), call.spanId()).orElse(null));
        return item;
    }

    private static Map<String, Object> failurePoint(RollupBucket bucket) {
        OutcomeCounts counts = bucket.counts();
        long calls = counts.calls();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("start", bucket.start().toString());
        point.put("calls", calls);
        point.put("ok", counts.ok());
        point.put("tool_error", counts.toolError());
        point.put("transport_error", counts.transportError());
        point.put("denied", counts.denied());
        point.put("rate_limited", counts.rateLimited());
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("ok", ratio(counts.ok(), calls));
        ratios.put("tool_error", ratio(counts.toolError(), calls));
        ratios.put("transport_error", ratio(counts.transportError(), calls));
        ratios.put("denied", ratio(counts.denied(), calls));
        ratios.put("rate_limited", ratio(counts.rateLimited(), calls));
        point.put("ratios", ratios);
        return point;
    }

    private static Map<String, Object> header(RollupQuery query) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("server", query.server().orElse(null));
        body.put("tool", query.tool().orElse(null));
        body.put("version", query.version().orElse(null));
        body.put("from", query.from().toString());
        body.put("to", query.to().toString());
        body.put("step", query.step().map(s -> s.toMinutes() >= 60 ? s.toHours() + "h" : s.toMinutes() + "m").orElse("all"));
        return body;
    }

    private static Double quantile(LatencySketch sketch, double q) {
        return sketch.isEmpty() ? null : Math.round(sketch.quantile(q) * 1000.0) / 1000.0;
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}

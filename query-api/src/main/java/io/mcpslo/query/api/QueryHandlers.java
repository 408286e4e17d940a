package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.storage.rollup.CountsBucket;
import io.mcpslo.storage.rollup.LatencyBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore;
import io.mcpslo.storage.rollup.RollupStore.ToolSort;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** GET /api/v1/latency, /failures and /tools, each limited to the servers the token may read. */
final class QueryHandlers {

    static final Set<String> TOOLS_PARAMETERS = Set.of("server", "tool", "version", "from", "to", "step", "sort", "limit",
            "offset");
    private static final Map<String, ToolSort> TOOL_SORTS = Map.of("failures", ToolSort.FAILURES, "calls",
            ToolSort.CALLS, "p95", ToolSort.P95, "name", ToolSort.NAME);

    private final RollupStore store;
    private final Supplier<List<SloDefinition>> slos;
    private final Clock clock;
    private final int maxPoints;

    QueryHandlers(RollupStore store, Supplier<List<SloDefinition>> slos, Clock clock, int maxPoints) {
        this.store = store;
        this.slos = slos;
        this.clock = clock;
        this.maxPoints = maxPoints;
    }

    /** The request's query, limited to the servers its token may read; another team's server is 404. */
    private RollupQuery query(Context ctx) {
        return scoped(ctx, RangeParameters.parse(ctx.queryParamMap(), clock, maxPoints));
    }

    private RollupQuery scoped(Context ctx, RollupQuery query) {
        return ReadScope.serversFor(ctx, slos.get(), query.server()).map(query::onlyServers).orElse(query);
    }

    void latency(Context ctx) {
        RollupQuery query = query(ctx);
        List<Map<String, Object>> points = RollupSeries.complete(query, store.latency(query), LatencyBucket::start,
                LatencyBucket::empty).stream().map(bucket -> {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("start", bucket.start().toString());
            point.put("calls", bucket.counts().calls());
            point.put("p50_ms", rounded(bucket.p50()));
            point.put("p95_ms", rounded(bucket.p95()));
            point.put("p99_ms", rounded(bucket.p99()));
            return point;
        }).toList();
        Map<String, Object> body = header(query);
        body.put("relative_accuracy", LatencySketch.RELATIVE_ACCURACY);
        body.put("points", points);
        ctx.json(body);
    }

    void failures(Context ctx) {
        RollupQuery query = query(ctx);
        List<Map<String, Object>> points = RollupSeries.complete(query, store.counts(query), CountsBucket::start,
                CountsBucket::empty).stream().map(bucket -> failurePoint(bucket.start(), bucket.counts())).toList();
        Map<String, Object> body = header(query);
        body.put("points", points);
        ctx.json(body);
    }

    /**
     * GET /api/v1/tools: per server, tool and server version over the range (one bucket: no step), worst first
     * ({@code sort}: failures, calls, p95, name), {@code limit} rows from {@code offset}, with the total.
     */
    void tools(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, TOOLS_PARAMETERS);
        String step = RangeParameters.single(params, "step").orElse("all");
        if (!step.equals("all")) {
            throw new BadRequestException("step", "the tools table is one bucket over the whole range: step may only be"
                    + " all (or left out); got " + RangeParameters.abbreviate(step));
        }
        String sortText = RangeParameters.single(params, "sort").orElse("failures");
        ToolSort sort = TOOL_SORTS.get(sortText);
        if (sort == null) {
            throw new BadRequestException("sort", "sort must be one of failures, calls, p95, name; got "
                    + RangeParameters.abbreviate(sortText));
        }
        int limit = RangeParameters.limit(params, 100);
        int offset = RangeParameters.integer(params, "offset", 0, 1_000_000, 0);
        RollupQuery query = scoped(ctx, RangeParameters.wholeRange(params, clock));
        RollupStore.ToolsPage page = store.tools(query, sort, offset, limit);
        List<Map<String, Object>> tools = page.rows().stream().map(tool -> {
            Map<String, Object> item = failurePoint(query.from(), tool.counts());
            item.remove("start");
            item.put("server", tool.server());
            item.put("tool", tool.tool());
            item.put("server_version", tool.serverVersion());
            item.put("p50_ms", rounded(tool.p50()));
            item.put("p95_ms", rounded(tool.p95()));
            item.put("p99_ms", rounded(tool.p99()));
            return item;
        }).toList();
        Map<String, Object> body = header(query);
        body.put("sort", sortText);
        body.put("offset", offset);
        body.put("limit", limit);
        body.put("total", page.total());
        body.put("next_offset", offset + tools.size() < page.total() ? offset + tools.size() : null);
        body.put("tools", tools);
        ctx.json(body);
    }

    private static Map<String, Object> failurePoint(Instant start, OutcomeCounts counts) {
        long calls = counts.calls();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("start", start.toString());
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

    private static Double rounded(Double ms) {
        return ms == null ? null : Math.round(ms * 1000.0) / 1000.0;
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}

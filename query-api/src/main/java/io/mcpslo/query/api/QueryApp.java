package io.mcpslo.query.api;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.mcpslo.clickhouse.ClickHouseException;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.query.store.RollupStore;
import io.mcpslo.query.store.SloStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the query API; the caller starts it. Routes and error mapping live here, in one place. */
public final class QueryApp {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApp.class);

    private QueryApp() {
    }

    public static Javalin create(String bindHost, RollupStore store, SloStore sloStore,
                                 Supplier<List<SloDefinition>> slos, Clock clock, int maxPoints,
                                 PrometheusMeterRegistry registry) {
        var handlers = new QueryHandlers(store, clock, maxPoints);
        var sloHandlers = new SloHandlers(slos, sloStore, clock, maxPoints);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jetty.defaultHost = bindHost;
        });
        app.get("/api/v1/latency", handlers::latency);
        app.get("/api/v1/failures", handlers::failures);
        app.get("/api/v1/slos", sloHandlers::list);
        app.get("/api/v1/slos/{id}", sloHandlers::one);
        app.get("/api/v1/alerts", sloHandlers::alerts);
        app.post("/api/v1/alerts/{dedupKey}/ack", sloHandlers::acknowledge);
        app.get("/api/v1/silences", sloHandlers::silences);
        app.post("/api/v1/silences", sloHandlers::createSilence);
        app.get("/api/v1/silences/{id}", sloHandlers::silence);
        app.delete("/api/v1/silences/{id}", sloHandlers::expireSilence);
        app.get("/health", ctx -> ctx.json(Map.of("status", "up", "service", "query-api")));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        app.after(ctx -> registry.counter("mcp_query_requests", "path", ctx.endpointHandlerPath(),
                "status", String.valueOf(ctx.statusCode())).increment());
        app.exception(BadRequestException.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST)
                .json(error(e.getMessage(), e.field())));
        app.exception(NotFoundException.class, (e, ctx) -> ctx.status(HttpStatus.NOT_FOUND)
                .json(error(e.getMessage(), e.field())));
        app.exception(ClickHouseException.class, (e, ctx) -> {
            LOG.warn("ClickHouse failed for {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .json(error(e.unreachable() ? "storage (ClickHouse) unreachable, try again shortly"
                            : "storage (ClickHouse) refused the query; see the query-api log", null));
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(error("internal error", null));
        });
        app.error(HttpStatus.NOT_FOUND, ctx -> ctx.json(error("no such endpoint: " + ctx.method() + " " + ctx.path(),
                "path")));
        return app;
    }

    private static Map<String, Object> error(String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return body;
    }
}

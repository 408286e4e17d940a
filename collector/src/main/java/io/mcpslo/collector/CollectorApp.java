package io.mcpslo.collector;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.javalin.http.HttpResponseException;
import io.mcpslo.common.auth.Access;
import io.mcpslo.common.auth.BearerAuth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the collector's HTTP app; the caller starts it. */
public final class CollectorApp {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorApp.class);

    private CollectorApp() {
    }

    /** Attribute under which a request's authenticated principal is kept. */
    static final String PRINCIPAL = "principal";

    public static Javalin create(CollectorConfig config, Clock clock, EventPublisher publisher,
                                 PrometheusMeterRegistry registry, BearerAuth auth) {
        Map<String, Access> access = Map.of("POST /v1/events", Access.GATEWAY,
                "POST /v1/traces", Access.GATEWAY, "POST /v1/logs", Access.GATEWAY, "GET /health", Access.OPEN,
                "GET /metrics", Access.OPERATIONS);
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            // the handler bounds the body itself so chunked bodies are limited too
            javalin.http.maxRequestSize = (long) config.maxBodyBytes() + 1;
            javalin.jetty.defaultHost = config.bindHost();
        });
        app.events(events -> events.serverStopped(publisher::close));
        app.beforeMatched(ctx -> {
            Access required = access.getOrDefault(ctx.method() + " " + ctx.endpointHandlerPath(), Access.ADMIN);
            switch (auth.check(ctx.header("Authorization"), required)) {
                case BearerAuth.Allowed allowed -> ctx.attribute(PRINCIPAL, allowed.principal());
                case BearerAuth.Unauthenticated refused -> {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new HttpResponseException(HttpStatus.UNAUTHORIZED.getCode(), refused.message());
                }
                case BearerAuth.Forbidden refused ->
                        throw new HttpResponseException(HttpStatus.FORBIDDEN.getCode(), refused.message());
            }
        });
        app.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus())
                .json(Map.of("error", e.getMessage(), "field", "Authorization")));
        app.post("/v1/events", new IngestHandler(config, clock, publisher, registry));
        app.post("/v1/traces", new OtlpHandler(OtlpHandler.Signal.TRACES, config, clock, publisher, registry));
        app.post("/v1/logs", new OtlpHandler(OtlpHandler.Signal.LOGS, config, clock, publisher, registry));
        app.get("/health", ctx -> ctx.json(Map.of("status", "up", "service", "collector")));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        app.error(HttpStatus.NOT_FOUND, ctx -> ctx.json(Map.of("error", "no such endpoint: " + ctx.method() + " "
                + ctx.path() + " (POST /v1/events, GET /health, GET /metrics)", "field", "path")));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "internal error: " + e.getClass().getSimpleName()));
        });
        return app;
    }
}

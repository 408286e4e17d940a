package io.mcpslo.query.api;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.mcpslo.common.auth.Access;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.query.audit.AuditVerifier;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.ReadMeter;
import io.mcpslo.storage.StorageUnavailable;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.storage.pipeline.DeadLetterStore;
import io.mcpslo.storage.rollup.RollupStore;
import io.mcpslo.query.store.AckPublisher;
import io.mcpslo.query.store.SilenceStore;
import io.mcpslo.storage.slo.SloStore;
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

    /** Attribute under which a request's authenticated principal is kept. */
    static final String PRINCIPAL = "principal";
    private static final String NOT_FOUND_ANSWERED = "not-found-answered";
    private static final String READ_METER = "read-meter";

    /** What the API reads from and writes to, and who may do what. */
    public record Services(RollupStore rollups, SloStore slos, AuditStore audit, AuditRecorder recorder,
                           Supplier<List<SloDefinition>> definitions, BearerAuth auth, byte[] digestKey,
                           ReportStore reports, ReportService reportService, DeadLetterStore deadLetters,
                           CallStore calls, TraceLinks traceLinks, SilenceStore silences,
                           AckPublisher acks) {
    }

    public static Javalin create(String bindHost, Services services, Clock clock, int maxPoints,
                                 PrometheusMeterRegistry registry) {
        var handlers = new QueryHandlers(services.rollups(), services.definitions(), clock, maxPoints);
        var actionAudit = new ActionAudit(services.recorder(), clock);
        var sloHandlers = new SloHandlers(services.definitions(), services.slos(), clock, maxPoints);
        var alertHandlers = new AlertHandlers(services.slos(), services.acks(), actionAudit, clock);
        var silenceHandlers = new SilenceHandlers(services.silences(), actionAudit, clock);
        var auditHandlers = new AuditHandlers(services.audit(), services.recorder(),
                new AuditVerifier(services.digestKey()), clock, services.traceLinks());
        var reportHandlers = new ReportHandlers(services.reportService(), services.reports());
        var deadLetterHandlers = new DeadLetterHandlers(services.deadLetters(), clock);
        var callHandlers = new CallHandlers(services.calls(), services.audit(), services.recorder(),
                services.definitions(), clock, services.traceLinks());
        var ledgerHandlers = new LedgerHandlers(services.calls(), services.slos(), services.definitions(), clock);
        Map<String, Access> access = new LinkedHashMap<>();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jetty.defaultHost = bindHost;
            // the built-in pages: shells without data (the data comes from the API with the viewer's token)
            config.staticFiles.add(files -> {
                files.hostedPath = "/ui";
                files.directory = "/ui";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            // long filter values must reach the validator (and get a 400 naming the field), not Jetty's 414
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(64 * 1024));
        });
        route(app, access, HandlerType.GET, "/api/v1/latency", Access.READ, handlers::latency);
        route(app, access, HandlerType.GET, "/api/v1/failures", Access.READ, handlers::failures);
        route(app, access, HandlerType.GET, "/api/v1/tools", Access.READ, handlers::tools);
        route(app, access, HandlerType.GET, "/", Access.OPEN, ctx -> ctx.redirect("/ui/index.html"));
        route(app, access, HandlerType.GET, "/api/v1/slos", Access.READ, sloHandlers::list);
        route(app, access, HandlerType.GET, "/api/v1/slos/{id}", Access.READ, sloHandlers::one);
        route(app, access, HandlerType.GET, "/api/v1/alerts", Access.READ, alertHandlers::alerts);
        route(app, access, HandlerType.POST, "/api/v1/alerts/{dedupKey}/ack", Access.READ, alertHandlers::acknowledge);
        route(app, access, HandlerType.GET, "/api/v1/silences", Access.MANAGE, silenceHandlers::list);
        route(app, access, HandlerType.POST, "/api/v1/silences", Access.MANAGE, silenceHandlers::create);
        route(app, access, HandlerType.GET, "/api/v1/silences/{id}", Access.MANAGE, silenceHandlers::one);
        route(app, access, HandlerType.DELETE, "/api/v1/silences/{id}", Access.MANAGE, silenceHandlers::expire);
        route(app, access, HandlerType.GET, "/api/v1/audit", Access.AUDIT, auditHandlers::list);
        route(app, access, HandlerType.GET, "/api/v1/audit/export", Access.AUDIT, auditHandlers::export);
        route(app, access, HandlerType.GET, "/api/v1/audit/verify", Access.AUDIT, auditHandlers::verify);
        route(app, access, HandlerType.GET, "/api/v1/audit/break-glass", Access.BREAK_GLASS, auditHandlers::breakGlass);
        route(app, access, HandlerType.GET, "/api/v1/reports", Access.READ, reportHandlers::list);
        route(app, access, HandlerType.POST, "/api/v1/reports", Access.READ, reportHandlers::generate);
        route(app, access, HandlerType.GET, "/api/v1/reports/{team}/{file}", Access.READ, reportHandlers::download);
        route(app, access, HandlerType.GET, "/api/v1/calls", Access.READ, callHandlers::list);
        route(app, access, HandlerType.GET, "/api/v1/calls/export", Access.READ, callHandlers::export);
        route(app, access, HandlerType.GET, "/api/v1/sessions/{id}", Access.READ, callHandlers::session);
        route(app, access, HandlerType.GET, "/api/v1/traces/{id}", Access.READ, callHandlers::trace);
        route(app, access, HandlerType.GET, "/api/v1/alerts/{dedupKey}/ledger", Access.READ, ledgerHandlers::alert);
        route(app, access, HandlerType.GET, "/api/v1/slos/{id}/ledger", Access.READ, ledgerHandlers::slo);
        route(app, access, HandlerType.GET, "/api/v1/dead-letters", Access.OPERATIONS, deadLetterHandlers::list);
        route(app, access, HandlerType.GET, "/health", Access.OPEN,
                ctx -> ctx.json(Map.of("status", "up", "service", "query-api")));
        route(app, access, HandlerType.GET, "/metrics", Access.OPERATIONS,
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        app.before(SecurityHeaders::apply);
        app.before(ctx -> ctx.attribute(READ_METER, ReadMeter.openAlone()));
        app.beforeMatched(ctx -> {
            if (ctx.method() == HandlerType.GET && (ctx.path().startsWith("/ui/") || ctx.path().startsWith("/webjars/"))) {
                return; // page shells and the chart library hold no data
            }
            Access required = access.getOrDefault(ctx.method() + " " + ctx.endpointHandlerPath(), Access.ADMIN);
            switch (services.auth().check(ctx.header("Authorization"), required)) {
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
                .json(error(e.getMessage(), "Authorization")));
        app.exception(AuditRecorder.AuditUnavailableException.class, (e, ctx) -> {
            LOG.warn("refusing {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .json(error("the audit trail cannot record this request now, so it is not served; try again shortly",
                            null));
        });
        app.exception(SilenceStore.SilencesUnavailableException.class, (e, ctx) -> {
            LOG.warn("silences unavailable for {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .json(error("silences (Kafka) cannot be written or read now: " + e.getMessage(), null));
        });
        app.exception(AckPublisher.AcksUnavailableException.class, (e, ctx) -> {
            LOG.warn("acknowledgement not stored for {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .json(error("the acknowledgement was not stored (Kafka unavailable), try again shortly: "
                            + e.getMessage(), null));
        });
        app.after(SecurityHeaders::forDocument);
        app.after(QueryApp::reportReads);
        app.after(ctx -> registry.counter("mcp_query_requests", "path", ctx.endpointHandlerPath(),
                "status", String.valueOf(ctx.statusCode())).increment());
        app.exception(BadRequestException.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST)
                .json(error(e.getMessage(), e.field())));
        app.exception(NotFoundException.class, (e, ctx) -> {
            ctx.attribute(NOT_FOUND_ANSWERED, true);
            ctx.status(HttpStatus.NOT_FOUND).json(error(e.getMessage(), e.field()));
        });
        app.exception(StorageUnavailable.class, (e, ctx) -> {
            LOG.warn("storage failed for {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .json(error(e.unreachable() ? "storage unreachable, try again shortly"
                            : "storage refused the query; see the query-api log", null));
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(error("internal error", null));
        });
        app.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.attribute(NOT_FOUND_ANSWERED) == null) { // a handler's own 404 keeps its field and reason
                ctx.json(error("no such endpoint: " + ctx.method() + " " + ctx.path(), "path"));
            }
        });
        return app;
    }

    private static void route(Javalin app, Map<String, Access> access, HandlerType method, String path, Access required,
                              Handler handler) {
        access.put(method + " " + path, required);
        app.addHttpHandler(method, path, handler);
    }

    /** What ClickHouse read to answer the request, for whoever measures (the query benchmark). */
    private static void reportReads(io.javalin.http.Context ctx) {
        ReadMeter meter = ctx.attribute(READ_METER);
        if (meter != null) {
            meter.close();
            ctx.header("X-ClickHouse-Rows-Read", String.valueOf(meter.rows()));
            ctx.header("X-ClickHouse-Queries", String.valueOf(meter.queries()));
            // false: some statement's rows read were not reported (18.16, binary answers), its rows returned counted
            ctx.header("X-ClickHouse-Rows-Read-Exact", String.valueOf(meter.exact()));
        }
    }

    private static Map<String, Object> error(String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return body;
    }
}

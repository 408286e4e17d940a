package io.mcpslo.query;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.common.config.Settings;
import io.mcpslo.query.api.QueryApp;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.query.audit.ClickHouseAuditStore;
import io.mcpslo.query.audit.KafkaAuditRecorder;
import io.mcpslo.query.calls.ClickHouseCallStore;
import io.mcpslo.query.report.ClickHouseReportStore;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.query.store.ClickHouseDeadLetterStore;
import io.mcpslo.query.store.ClickHouseRollupStore;
import io.mcpslo.query.store.ClickHouseSloStore;
import io.mcpslo.query.store.KafkaSilenceStore;
import io.mcpslo.sloconfig.SloDirectory;
import io.mcpslo.sloconfig.SloFileParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The query API as its own deployable. */
public final class QueryApiMain {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApiMain.class);

    private QueryApiMain() {
    }

    public static void main(String[] args) {
        Javalin app = start(QueryConfig.from(Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "query-api-shutdown"));
    }

    /** Rolls minutes into hours and days in the background; a failed pass is logged and tried again next time. */
    private static void startRoller(ClickHouseClient client, RollerSettings settings, ScheduledExecutorService executor) {
        LOG.info(settings.describe());
        if (settings.interval().isZero()) {
            return;
        }
        // its own client: the first pass over a large store runs for minutes, longer than a query may
        var roller = new RollupRoller(new ClickHouseClient(new ClickHouseConfig(client.config().url(),
                client.config().user(), client.config().password(), client.database(), Duration.ofHours(1))),
                settings.byTimeDays());
        executor.scheduleWithFixedDelay(() -> {
            try {
                roller.rollOnce();
            } catch (RuntimeException e) {
                LOG.warn("rollup roller pass failed (tried again in {} s): {}", settings.interval().toSeconds(),
                        e.getMessage());
            }
        }, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the API; ClickHouse being down is not fatal, queries answer 503 until it is back. */
    public static Javalin start(QueryConfig config) {
        LOG.info("starting {}", config.describe());
        var client = new ClickHouseClient(config.clickHouse());
        try {
            new SchemaMigrator(client).migrate();
        } catch (RuntimeException e) {
            LOG.warn("tables not checked, ClickHouse unavailable for now: {}", e.getMessage());
        }
        var slos = new SloDirectory(config.sloDirectory(), new SloFileParser(config.environment()));
        slos.reload();
        var reloads = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "query-api-slo-reload");
            thread.setDaemon(true);
            return thread;
        });
        var rolls = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "query-api-rollup-roller");
            thread.setDaemon(true);
            return thread;
        });
        long reloadMs = config.sloReloadInterval().toMillis();
        reloads.scheduleWithFixedDelay(slos::reload, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        var recorder = new KafkaAuditRecorder(config.kafkaBootstrapServers(), Duration.ofSeconds(10));
        var silences = new KafkaSilenceStore(config.kafkaBootstrapServers(), Duration.ofSeconds(10));
        var reports = new ClickHouseReportStore(client);
        var reportService = new ReportService(reports, () -> slos.current().slos(), config.reportZone(),
                config.reportWebhook(), config.reportWebhookPdf(), Clock.systemUTC());
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter reportFailures = Counter.builder("mcp_report_failures")
                .description("Scheduled weekly reports that failed (retried every 5 minutes)").register(registry);
        reloads.scheduleWithFixedDelay(() -> {
            try {
                reportFailures.increment(reportService.generateDue().size());
            } catch (RuntimeException e) {
                LOG.warn("weekly reports not generated now (retried in 5 minutes): {}", e.getMessage());
            }
        }, 1, 5, TimeUnit.MINUTES);
        startRoller(client, RollerSettings.from(config.environment()), rolls);
        var services = new QueryApp.Services(new ClickHouseRollupStore(client), new ClickHouseSloStore(client),
                new ClickHouseAuditStore(client), recorder, () -> slos.current().slos(),
                new BearerAuth(new TokenStore(config.tokensFile())), config.auditDigestKey(), reports, reportService,
                new ClickHouseDeadLetterStore(client), new ClickHouseCallStore(client), config.traceLinks(), silences);
        Javalin app = QueryApp.create(config.bindHost(), services, Clock.systemUTC(), config.maxPoints(), registry)
                .start(config.port());
        app.events(events -> events.serverStopped(() -> {
            reloads.shutdownNow();
            rolls.shutdownNow();
            recorder.close();
            silences.close();
        }));
        LOG.info("query-api listening on http://{}:{}/api/v1/", config.bindHost(), app.port());
        return app;
    }
}

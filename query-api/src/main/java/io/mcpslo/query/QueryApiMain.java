package io.mcpslo.query;

import io.javalin.Javalin;
import io.mcpslo.common.config.Settings;
import io.mcpslo.query.api.QueryApp;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.query.audit.KafkaAuditRecorder;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.query.store.KafkaAckPublisher;
import io.mcpslo.query.store.KafkaSilenceStore;
import io.mcpslo.sloconfig.SloDirectory;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.StorageUnavailable;
import io.mcpslo.storage.Storages;
import io.mcpslo.storage.Upkeep;
import io.mcpslo.sloconfig.SloFileParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
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

    /** Starts the API; the storage being down is not fatal, queries answer 503 until it is back. */
    public static Javalin start(QueryConfig config) {
        LOG.info("starting {}", config.describe());
        Storage storage = Storages.open(config.storage(), Clock.systemUTC());
        LOG.info("storage: {}", storage.describe());
        try {
            storage.prepare();
        } catch (StorageUnavailable e) {
            LOG.warn("tables not checked, storage unavailable for now: {}", e.getMessage());
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
        var acks = new KafkaAckPublisher(config.kafkaBootstrapServers(), Duration.ofSeconds(10));
        var reports = storage.reports();
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
        Upkeep.scheduleAll(storage.queryUpkeep(), rolls, Clock.systemUTC(), (work, e) -> LOG.warn(
                "{} pass failed (tried again in {} s): {}", work.name(), work.every().toSeconds(), e.getMessage()));
        var services = new QueryApp.Services(storage.rollups(), storage.slos(), storage.audit(), recorder, () -> slos.current().slos(),
                new BearerAuth(new TokenStore(config.tokensFile())), config.auditDigestKey(), reports, reportService,
                storage.deadLetters(), storage.calls(), config.traceLinks(), silences, acks);
        Javalin app = QueryApp.create(config.bindHost(), services, Clock.systemUTC(), config.maxPoints(), registry)
                .start(config.port());
        app.events(events -> events.serverStopped(() -> {
            reloads.shutdownNow();
            rolls.shutdownNow();
            recorder.close();
            silences.close();
            acks.close();
            storage.close();
        }));
        LOG.info("query-api listening on http://{}:{}/api/v1/", config.bindHost(), app.port());
        return app;
    }
}

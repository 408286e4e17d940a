package io.mcpslo.query;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.common.config.Settings;
import io.mcpslo.query.api.QueryApp;
import io.mcpslo.query.store.ClickHouseRollupStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
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

    /** Starts the API; ClickHouse being down is not fatal, queries answer 503 until it is back. */
    public static Javalin start(QueryConfig config) {
        LOG.info("starting {}", config.describe());
        var client = new ClickHouseClient(config.clickHouse());
        try {
            new SchemaMigrator(client).migrate();
        } catch (RuntimeException e) {
            LOG.warn("tables not checked, ClickHouse unavailable for now: {}", e.getMessage());
        }
        Javalin app = QueryApp.create(config.bindHost(), new ClickHouseRollupStore(client), Clock.systemUTC(),
                config.maxPoints(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(config.port());
        LOG.info("query-api listening on http://{}:{}/api/v1/", config.bindHost(), app.port());
        return app;
    }
}

package io.mcpslo.collector;

import io.javalin.Javalin;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.TopicAdmin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector as its own deployable. */
public final class CollectorMain {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);

    private CollectorMain() {
    }

    public static void main(String[] args) {
        Javalin collector = start(CollectorConfig.from(Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(collector::stop, "collector-shutdown"));
    }

    /** Starts the collector; stopping the returned app also closes its producer. Used by the all-in-one mode too. */
    public static Javalin start(CollectorConfig config) {
        LOG.info("starting {}", config.describe());
        try {
            TopicAdmin.ensureTopics(config.kafka(), config.kafkaTimeout());
        } catch (IllegalStateException e) {
            LOG.warn("topics not checked, Kafka unreachable for now (batches will get 503 until it is back): {}",
                    e.getMessage());
        }
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var publisher = new KafkaEventPublisher(config.kafka(), config.kafkaTimeout());
        Javalin app = CollectorApp.create(config, Clock.systemUTC(),
                publisher, registry, new BearerAuth(new TokenStore(config.tokensFile()))).start(config.port());
        LOG.info("collector listening on http://{}:{}/v1/events", config.bindHost(), app.port());
        return app;
    }
}

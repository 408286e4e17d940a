package io.mcpslo.collector;

import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;

/** Collector settings, read once at start. */
public record CollectorConfig(String bindHost, int port, int maxBodyBytes, int maxEventsPerBatch,
                              Duration kafkaTimeout, Duration maxFutureSkew, Duration allowedLateness, KafkaSettings kafka,
                              Path tokensFile) {

    public static CollectorConfig from(Settings settings) {
        return new CollectorConfig(
                settings.string("COLLECTOR_BIND", "127.0.0.1"),
                settings.integer("COLLECTOR_PORT", 8070, 0, 65535),
                settings.integer("COLLECTOR_MAX_BODY_BYTES", 5 * 1024 * 1024, 1024, 256 * 1024 * 1024),
                settings.integer("COLLECTOR_MAX_BATCH_EVENTS", 10_000, 1, 1_000_000),
                settings.duration("COLLECTOR_KAFKA_TIMEOUT", Duration.ofSeconds(10)),
                settings.duration("MAX_FUTURE_SKEW", Duration.ofMinutes(5)),
                settings.duration("ALLOWED_LATENESS", LatenessPolicy.DEFAULT_ALLOWED_LATENESS),
                KafkaSettings.from(settings),
                tokensFile(settings));
    }

    /** AUTH_TOKENS_FILE, default {@code <MCP_SLO_DATA_DIR>/tokens}: the hashed bearer tokens of every service. */
    public static Path tokensFile(Settings settings) {
        return Path.of(settings.string("AUTH_TOKENS_FILE",
                Path.of(settings.string("MCP_SLO_DATA_DIR", ".data"), "tokens").toString()));
    }

    public String describe() {
        return "collector on " + bindHost + ":" + port + " maxBody=" + maxBodyBytes + "B maxBatch=" + maxEventsPerBatch
                + " kafkaTimeout=" + kafkaTimeout + " maxFutureSkew=" + maxFutureSkew
                + " allowedLateness=" + allowedLateness + " tokens=" + tokensFile + "; " + kafka.describe();
    }
}

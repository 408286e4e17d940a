package io.mcpslo.processor;

import io.mcpslo.common.config.AuditDigestKey;
import io.mcpslo.common.config.Settings;
import io.mcpslo.processor.topology.PipelineTopology;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.processor.notify.NotifySettings;
import io.mcpslo.processor.sink.SinkSettings;
import io.mcpslo.storage.Storages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Stream-processor settings, read once at start; {@code storage} holds the settings the storage back end reads. */
public record ProcessorConfig(String applicationId, Path stateDir, LatenessPolicy lateness, Duration emitInterval,
                              Duration maxFutureSkew, SinkSettings sink, String metricsBind, int metricsPort,
                              KafkaSettings kafka, Settings storage, Path sloDirectory,
                              Duration sloReloadInterval, Duration evaluationInterval, NotifySettings notifications,
                              Function<String, String> environment, PipelineTopology.AuditChainSettings audit,
                              PipelineTopology.OtlpTopics otlpTopics,
                              StreamsTuning streams, Duration rollupDedupHorizon, int sloPartitions,
                              ProcessorRoles roles) {

    public ProcessorConfig {
        if (evaluationInterval.compareTo(Duration.ofMillis(100)) < 0 || evaluationInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("SLO_EVALUATION_INTERVAL must be between 100ms and 1m, was " + evaluationInterval);
        }
        if (sloReloadInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("SLO_RELOAD_INTERVAL must be at least 1s, was " + sloReloadInterval);
        }
    }

    public static ProcessorConfig from(Settings settings) {
        Path dataDir = Path.of(settings.string("MCP_SLO_DATA_DIR", ".data"));
        return new ProcessorConfig(
                settings.string("PROCESSOR_APPLICATION_ID", "mcp-slo-stream-processor"),
                Path.of(settings.string("PROCESSOR_STATE_DIR", dataDir.resolve("streams").toString())),
                new LatenessPolicy(settings.duration("ALLOWED_LATENESS", LatenessPolicy.DEFAULT_ALLOWED_LATENESS)),
                settings.duration("ROLLUP_EMIT_INTERVAL", Duration.ofSeconds(1)),
                settings.duration("MAX_FUTURE_SKEW", Duration.ofMinutes(5)),
                new SinkSettings(settings.integer("SINK_MAX_BATCH_RECORDS", 50_000, 1, 1_000_000),
                        settings.duration("SINK_FLUSH_INTERVAL", Duration.ofSeconds(1)),
                        settings.duration("SINK_MAX_RETRY_BACKOFF", Duration.ofSeconds(30))),
                settings.string("PROCESSOR_BIND", "127.0.0.1"),
                settings.integer("PROCESSOR_METRICS_PORT", 8071, 0, 65535),
                KafkaSettings.from(settings),
                settings,
                Path.of(settings.string("SLO_DIR", "slos")),
                settings.duration("SLO_RELOAD_INTERVAL", Duration.ofSeconds(10)),
                settings.duration("SLO_EVALUATION_INTERVAL", Duration.ofSeconds(1)),
                new NotifySettings(settings.duration("NOTIFY_REQUEST_TIMEOUT", Duration.ofSeconds(10)),
                        settings.duration("NOTIFY_MAX_RETRY_BACKOFF", Duration.ofSeconds(30)),
                        settings.duration("NOTIFY_MAX_AGE", Duration.ofHours(24)),
                        settings.string("QUERY_API_PUBLIC_URL", "http://127.0.0.1:8080")),
                settings::optional,
                new PipelineTopology.AuditChainSettings(AuditDigestKey.from(settings),
                        settings.integer("AUDIT_DIGEST_EVERY", 1000, 1, 10_000_000),
                        settings.duration("AUDIT_DIGEST_INTERVAL", Duration.ofMinutes(1))),
                new PipelineTopology.OtlpTopics(settings.string("OTLP_KAFKA_SPANS_TOPIC", "otlp_spans"),
                        settings.string("OTLP_KAFKA_LOGS_TOPIC", "otlp_logs")),
                StreamsTuning.from(settings),
                settings.duration("ROLLUP_DEDUP_HORIZON", PipelineTopology.Options.DEFAULT_DEDUP_HORIZON),
                settings.integer("SLO_EVALUATION_PARTITIONS", PipelineTopology.Options.DEFAULT_SLO_PARTITIONS, 1, 1_000),
                ProcessorRoles.parse(settings.string("PROCESSOR_ROLES", ProcessorRoles.ALL.describe())));
    }

    public String describe() {
        return "stream-processor " + applicationId + " roles=" + roles.describe() + " " + streams.describe() + " state=" + stateDir
                + " lateness=" + lateness.allowedLateness() + " dedupHorizon=" + rollupDedupHorizon
                + " emitEvery=" + emitInterval + " sinkBatch=" + sink.maxBatchRecords() + "/" + sink.flushInterval()
                + " metrics=" + metricsBind + ":" + metricsPort + " slos=" + sloDirectory + " (reload every "
                + sloReloadInterval + ", evaluate every " + evaluationInterval + " on " + sloPartitions
                + " partitions) audit digest every "
                + audit.digestEvery() + " events/" + audit.digestInterval() + " key=***"
                + " otlp topics spans=" + otlpTopics.spans() + " logs=" + otlpTopics.logs()
                + "; " + kafka.describe() + "; storage " + Storages.type(storage);
    }
}

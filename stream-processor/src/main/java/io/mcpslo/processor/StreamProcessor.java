package io.mcpslo.processor;

import io.mcpslo.kafka.SilenceTopicReader;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.processor.notify.NotificationDispatcher;
import io.mcpslo.sloconfig.SloCatalog;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.Storages;
import io.mcpslo.storage.Upkeep;
import io.mcpslo.sloconfig.SloDirectory;
import io.mcpslo.sloconfig.SloFileParser;
import io.mcpslo.processor.sink.Sink;
import io.mcpslo.processor.sink.SinkTable;
import io.mcpslo.processor.topology.PipelineTopology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running processor: the Kafka Streams topology, the storage sink and the metrics endpoint. */
public final class StreamProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);

    private final KafkaStreams streams;
    private final Sink sink;
    private final MetricsEndpoint metrics;
    private final KafkaStreamsMetrics streamsMetrics;
    private final SloDirectory slos;
    private final NotificationDispatcher notifications;
    private final SilenceTopicReader silences;
    private final ScheduledExecutorService reloads;
    private final ExecutorService historyReads;
    private final Storage storage;

    private StreamProcessor(KafkaStreams streams, Sink sink, MetricsEndpoint metrics,
                            KafkaStreamsMetrics streamsMetrics, SloDirectory slos,
                            NotificationDispatcher notifications, ExecutorService historyReads,
                            SilenceTopicReader silences, Storage storage) {
        this.streams = streams;
        this.sink = sink;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
        this.slos = slos;
        this.notifications = notifications;
        this.historyReads = historyReads;
        this.silences = silences;
        this.storage = storage;
        this.reloads = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slo-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Reads the SLO folder again now (also done every SLO_RELOAD_INTERVAL and on SIGHUP). */
    public SloCatalog reloadSlos() {
        SloCatalog catalog = slos.reload();
        notifications.sync();
        return catalog;
    }

    public static StreamProcessor start(ProcessorConfig config) {
        LOG.info("starting {}", config.describe());
        Storage storage = Storages.open(config.storage(), Clock.systemUTC());
        LOG.info("storage: {}", storage.describe());
        // the OTLP topics are created when missing: Kafka Streams stops on a source topic that does not exist
        TopicAdmin.ensureTopics(config.kafka(), Duration.ofSeconds(60), java.util.stream.Stream.of(
                config.otlpTopics().spans(), config.otlpTopics().logs()).filter(name -> !name.isBlank()).toList());
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var slos = new SloDirectory(config.sloDirectory(), new SloFileParser(config.environment()));
        SloCatalog catalog = slos.reload();
        LOG.info("{} SLOs and {} receivers from {}", catalog.slos().size(), catalog.receivers().size(),
                config.sloDirectory().toAbsolutePath());
        ExecutorService historyReads = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slo-history");
            thread.setDaemon(true);
            return thread;
        });
        var options = new PipelineTopology.Options(Clock.systemUTC(), config.lateness(), config.emitInterval(),
                config.maxFutureSkew(), registry, () -> slos.current().slos(), config.evaluationInterval(), true,
                config.audit(), storage.sloHistory(), historyReads,
                config.rollupDedupHorizon(), config.sloPartitions());
        var streams = new KafkaStreams(PipelineTopology.build(options, config.otlpTopics()), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        var streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        var sink = new Sink(SinkTable.ALL, config.kafka().bootstrapServers(), storage.pipeline(), config.sink(), registry,
                Clock.systemUTC());
        MetricsEndpoint metrics;
        try {
            metrics = new MetricsEndpoint(config.metricsBind(), config.metricsPort(), registry,
                    () -> streams.state().name(), sink::unavailableTables);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.metricsBind() + ":" + config.metricsPort()
                    + " for metrics (PROCESSOR_METRICS_PORT)", e);
        }
        var silences = new SilenceTopicReader(config.kafka().bootstrapServers()).start();
        awaitReplay(silences);
        Gauge.builder("mcp_silences_skipped_records", () -> silences.snapshot().skipped())
                .description("Records on the silences topic that are not a silence revision of their key; skipped")
                .register(registry);
        var notifications = new NotificationDispatcher(config.kafka().bootstrapServers(),
                () -> slos.current().receivers(), silences::active, config.notifications(), Clock.systemUTC());
        Gauge.builder("mcp_acks_skipped_records", notifications::skippedAckRecords)
                .description("Records on the acknowledgements topic the PagerDuty loops skipped: not an"
                        + " acknowledgement of their key")
                .register(registry);
        var processor = new StreamProcessor(streams, sink, metrics, streamsMetrics, slos, notifications, historyReads,
                silences, storage);
        streams.start();
        sink.start();
        notifications.sync();
        long reloadMs = config.sloReloadInterval().toMillis();
        processor.reloads.scheduleWithFixedDelay(() -> {
            try {
                processor.reloadSlos();
            } catch (RuntimeException e) {
                LOG.error("reloading SLO files failed; the SLOs in force stay", e);
            }
        }, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        Upkeep.scheduleAll(storage.processorUpkeep(), processor.reloads, Clock.systemUTC(), (upkeep, e) -> LOG.warn(
                "{} could not run now (retried in {} s): {}", upkeep.name(), upkeep.every().toSeconds(), e.getMessage()));
        LOG.info("stream-processor metrics on http://{}:{}/metrics", config.metricsBind(), metrics.port());
        return processor;
    }

    /** Alerts are not delivered before the silences topic was replayed: a restart must not page through a silence. */
    private static void awaitReplay(SilenceTopicReader silences) {
        try {
            if (!silences.awaitCaughtUp(Duration.ofSeconds(60))) {
                LOG.warn("the silences topic was not replayed within 60 s; alerts are sent unsilenced until it is");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the silences", e);
        }
    }

    static Properties streamsProperties(ProcessorConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.kafka().replicationFactor().map(Short::intValue).orElse(-1));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.streams().commitInterval().toMillis());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streams().streamThreads());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.streams().cacheBytes());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.streams().standbyReplicas());
        // each commit flushes a transaction's worth of changelog and output; 16 KB batches with five in flight per
        // broker made that flush a long series of round trips
        props.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG),
                256 * 1024);
        return props;
    }

    public int metricsPort() {
        return metrics.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        reloads.shutdownNow();
        notifications.close();
        silences.close();
        streams.close(Duration.ofSeconds(30));
        historyReads.shutdownNow();
        sink.close();
        streamsMetrics.close();
        metrics.close();
        storage.close();
    }
}

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
import java.util.Map;
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

/**
 * The running processor: the Kafka Streams topology with SLO reloads and alert deliveries (role {@code streams}),
 * the storage sink with storage upkeep (role {@code sink}), and the metrics endpoint.
 */
public final class StreamProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);

    /** The Streams application and what lives beside it: the SLO folder, its reloads and the alert deliveries. */
    private record StreamsRole(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, SloDirectory slos,
                               NotificationDispatcher notifications, SilenceTopicReader silences,
                               ExecutorService historyReads, ScheduledExecutorService reloads) {

        static StreamsRole create(ProcessorConfig config, Storage storage, PrometheusMeterRegistry registry) {
            // the OTLP topics are created when missing: Kafka Streams stops on a source topic that does not exist
            TopicAdmin.ensureTopics(config.kafka(), Duration.ofSeconds(60), java.util.stream.Stream.of(
                    config.otlpTopics().spans(), config.otlpTopics().logs()).filter(name -> !name.isBlank()).toList());
            var slos = new SloDirectory(config.sloDirectory(), new SloFileParser(config.environment()));
            SloCatalog catalog = slos.reload();
            LOG.info("{} SLOs and {} receivers from {}", catalog.slos().size(), catalog.receivers().size(),
                    config.sloDirectory().toAbsolutePath());
            ExecutorService historyReads = Executors.newSingleThreadExecutor(daemon("slo-history"));
            var options = new PipelineTopology.Options(Clock.systemUTC(), config.lateness(), config.emitInterval(),
                    config.maxFutureSkew(), registry, () -> slos.current().slos(), config.evaluationInterval(), true,
                    config.audit(), storage.sloHistory(), historyReads,
                    config.rollupDedupHorizon(), config.sloPartitions());
            var streams = new KafkaStreams(PipelineTopology.build(options, config.otlpTopics()),
                    streamsProperties(config));
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("stream thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            var streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
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
            return new StreamsRole(streams, streamsMetrics, slos, notifications, silences, historyReads,
                    Executors.newSingleThreadScheduledExecutor(daemon("slo-reload")));
        }

        void start(Duration reloadInterval) {
            streams.start();
            notifications.sync();
            long reloadMs = reloadInterval.toMillis();
            reloads.scheduleWithFixedDelay(() -> {
                try {
                    reloadSlos();
                } catch (RuntimeException e) {
                    LOG.error("reloading SLO files failed; the SLOs in force stay", e);
                }
            }, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        }

        SloCatalog reloadSlos() {
            SloCatalog catalog = slos.reload();
            notifications.sync();
            return catalog;
        }

        void close() {
            reloads.shutdownNow();
            notifications.close();
            silences.close();
            streams.close(Duration.ofSeconds(30));
            historyReads.shutdownNow();
            streamsMetrics.close();
        }
    }

    private final ProcessorRoles roles;
    /** Null when this instance runs no {@code streams} role. */
    private final StreamsRole streamsRole;
    /** Null when this instance runs no {@code sink} role. */
    private final Sink sink;
    private final ScheduledExecutorService upkeep;
    private final MetricsEndpoint metrics;
    private final Storage storage;

    private StreamProcessor(ProcessorRoles roles, StreamsRole streamsRole, Sink sink, MetricsEndpoint metrics,
                            Storage storage) {
        this.roles = roles;
        this.streamsRole = streamsRole;
        this.sink = sink;
        this.metrics = metrics;
        this.storage = storage;
        this.upkeep = Executors.newSingleThreadScheduledExecutor(daemon("storage-upkeep"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Reads the SLO folder again now (also done every SLO_RELOAD_INTERVAL and on SIGHUP). */
    public SloCatalog reloadSlos() {
        if (streamsRole == null) {
            throw new IllegalStateException("this instance runs PROCESSOR_ROLES=" + roles.describe()
                    + ": SLOs are read by the instances running the streams role");
        }
        return streamsRole.reloadSlos();
    }

    public ProcessorRoles roles() {
        return roles;
    }

    public static StreamProcessor start(ProcessorConfig config) {
        LOG.info("starting {}", config.describe());
        Storage storage = Storages.open(config.storage(), Clock.systemUTC());
        LOG.info("storage: {}", storage.describe());
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StreamsRole streamsRole = config.roles().streams() ? StreamsRole.create(config, storage, registry) : null;
        Sink sink = config.roles().sink() ? new Sink(SinkTable.ALL, config.kafka().bootstrapServers(),
                storage.pipeline(), config.sink(), registry, Clock.systemUTC()) : null;
        MetricsEndpoint metrics;
        try {
            metrics = new MetricsEndpoint(config.metricsBind(), config.metricsPort(), registry, config.roles(),
                    () -> streamsRole == null ? MetricsEndpoint.NOT_RUN_HERE : streamsRole.streams().state().name(),
                    sink == null ? Map::of : sink::unavailableTables);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.metricsBind() + ":" + config.metricsPort()
                    + " for metrics (PROCESSOR_METRICS_PORT)", e);
        }
        var processor = new StreamProcessor(config.roles(), streamsRole, sink, metrics, storage);
        if (streamsRole != null) {
            streamsRole.start(config.sloReloadInterval());
        }
        if (sink != null) {
            sink.start();
            Upkeep.scheduleAll(storage.processorUpkeep(), processor.upkeep, Clock.systemUTC(), (work, e) -> LOG.warn(
                    "{} could not run now (retried in {} s): {}", work.name(), work.every().toSeconds(), e.getMessage()));
        }
        LOG.info("stream-processor ({}) metrics on http://{}:{}/metrics", config.roles().describe(),
                config.metricsBind(), metrics.port());
        return processor;
    }

    /** Alerts are not delivered before the silences topic was replayed: a restart must not page through a silence. */
    static void awaitReplay(SilenceTopicReader silences) {
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

    /** The Streams application's state; only an instance with the {@code streams} role has one. */
    public KafkaStreams.State state() {
        if (streamsRole == null) {
            throw new IllegalStateException("this instance runs PROCESSOR_ROLES=" + roles.describe()
                    + ": no Streams application");
        }
        return streamsRole.streams().state();
    }

    @Override
    public void close() {
        upkeep.shutdownNow();
        if (streamsRole != null) {
            streamsRole.close();
        }
        if (sink != null) {
            sink.close();
        }
        metrics.close();
        storage.close();
    }
}

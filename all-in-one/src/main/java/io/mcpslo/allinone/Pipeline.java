package io.mcpslo.allinone;

import io.javalin.Javalin;
import io.mcpslo.collector.CollectorConfig;
import io.mcpslo.collector.CollectorMain;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.processor.ProcessorConfig;
import io.mcpslo.processor.StreamProcessor;
import io.mcpslo.query.QueryApiMain;
import io.mcpslo.query.QueryConfig;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service of the pipeline in one JVM, composed from each service's own start-up code, with an
 * embedded broker unless KAFKA_BOOTSTRAP_SERVERS points at a cluster. Stops in reverse order of start.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Settings settings;
    private final int collectorPort;
    private final int queryPort;
    private final int processorMetricsPort;
    private final LocalReceiver receiver;
    private final LocalTokens tokens;

    private Pipeline(Settings base) {
        Settings effective = base;
        Path dataDir = Path.of(base.string("MCP_SLO_DATA_DIR", ".data"));
        try {
            if (base.string("KAFKA_BOOTSTRAP_SERVERS", "").isEmpty()) {
                LOG.info("starting the embedded Kafka broker (set KAFKA_BOOTSTRAP_SERVERS to use a cluster instead)");
                // its log and the stream state (PROCESSOR_STATE_DIR, default <data dir>/streams) both stay in the
                // data dir, so what the collector acknowledged is still there after a restart, and counted once
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(dataDir.resolve("kafka"),
                        base.integer("KAFKA_EMBEDDED_PORT", 19092, 0, 65535));
                started.push(broker);
                effective = base.with(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "KAFKA_REPLICATION_FACTOR", "1"));
                LOG.info("embedded Kafka broker at {}, log in {}", broker.bootstrapServers(), dataDir.resolve("kafka"));
            }
            tokens = LocalTokens.ensure(dataDir, CollectorConfig.tokensFile(effective));
            receiver = LocalReceiver.start("127.0.0.1", effective.integer("LOCAL_RECEIVER_PORT", 8090, 0, 65535),
                    dataDir.resolve("received-pages.ndjson"));
            started.push(receiver);
            // the example receivers in slos/receivers.yaml point here
            effective = effective.with(Map.of("MCP_SLO_LOCAL_RECEIVER_URL", receiver.url()));
            this.settings = effective;
            StreamProcessor processor = StreamProcessor.start(ProcessorConfig.from(settings));
            started.push(processor);
            processorMetricsPort = processor.metricsPort();
            CollectorConfig collectorConfig = CollectorConfig.from(settings);
            Javalin collector = CollectorMain.start(collectorConfig);
            started.push(collector::stop);
            collectorPort = collector.port();
            Javalin query = QueryApiMain.start(QueryConfig.from(settings));
            started.push(query::stop);
            queryPort = query.port();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Pipeline start(Settings settings) {
        return new Pipeline(settings);
    }

    public Settings settings() {
        return settings;
    }

    public int collectorPort() {
        return collectorPort;
    }

    public int queryPort() {
        return queryPort;
    }

    public LocalTokens tokens() {
        return tokens;
    }

    public LocalReceiver receiver() {
        return receiver;
    }

    public int processorMetricsPort() {
        return processorMetricsPort;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("a service did not stop cleanly: {}", e.toString());
            }
        }
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaCluster;
import io.mcpslo.processor.ProcessorConfig;
import io.mcpslo.processor.StreamProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix's cluster row: the pipeline on a three-node Kafka cluster (replication factor 3, two replicas in
 * sync), a second processor instance joining and leaving with the same application id, and one broker stopped and
 * started again, all under load. Every acknowledged call is stored once and counted once.
 */
class ClusterFaultIT {

    private static EmbeddedKafkaCluster cluster;
    private static ClickHouseClient clickHouse;
    private static Path dataDir;
    private static Settings settings;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedKafkaCluster.start(3);
        clickHouse = ClickHouseTestSupport.freshDatabase("cluster");
        dataDir = Files.createTempDirectory("mcp-slo-cluster");
        settings = Settings.fromEnvironment().with(Map.ofEntries(
                Map.entry("CLICKHOUSE_DATABASE", clickHouse.database()),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers()),
                Map.entry("KAFKA_REPLICATION_FACTOR", "3"),
                Map.entry("COLLECTOR_PORT", "0"), Map.entry("QUERY_API_PORT", "0"),
                Map.entry("PROCESSOR_METRICS_PORT", "0"), Map.entry("LOCAL_RECEIVER_PORT", "0"),
                Map.entry("PROCESSOR_APPLICATION_ID", "cluster-" + UUID.randomUUID()),
                Map.entry("SINK_FLUSH_INTERVAL", "200ms"),
                Map.entry("SLO_DIR", "../slos"),
                Map.entry("MCP_SLO_DATA_DIR", dataDir.toString())));
        pipeline = Pipeline.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        ClickHouseTestSupport.drop(clickHouse);
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void everyCallAcknowledgedWhileABrokerStopsAndAProcessorJoinsAndLeavesIsStoredAndCountedOnce() throws Exception {
        String server = "cluster";
        ResendingGateway gateway = new ResendingGateway(pipeline, server);
        Thread client = Thread.ofPlatform().name("resending-gateway").start(gateway);
        try {
            awaitMoreBatches(gateway, "before any fault");
            StreamProcessor second = StreamProcessor.start(ProcessorConfig.from(settings.with(Map.of(
                    "PROCESSOR_STATE_DIR", dataDir.resolve("second-processor").toString()))));
            try {
                awaitMoreBatches(gateway, "with a second processor instance in the group");
                cluster.stopNode(1);
                awaitMoreBatches(gateway, "with one broker of three stopped");
            } finally {
                second.close();
            }
            awaitMoreBatches(gateway, "after the second processor instance left");
            cluster.startNode(1);
            awaitMoreBatches(gateway, "with the broker back");
        } finally {
            gateway.stop = true;
            client.join(TimeUnit.MINUTES.toMillis(3));
        }
        assertFalse(client.isAlive(), "the gateway still resends a batch the collector does not acknowledge");
        assertNull(gateway.failure, "the gateway thread failed: " + gateway.failure);
        System.out.printf("cluster row: %d calls acknowledged in %d batches, %d answers not 200%n",
                gateway.acknowledged.size(), gateway.acknowledgedBatches.get(), gateway.refusals.get());

        new StoredOnceCheck(pipeline, clickHouse, cluster::bootstrapServers)
                .assertStoredAndCountedOnce(server, gateway.acknowledged);
    }

    private static void awaitMoreBatches(ResendingGateway gateway, String phase) throws InterruptedException {
        int before = gateway.acknowledgedBatches.get();
        Await.until("10 more acknowledged batches " + phase, Duration.ofSeconds(120),
                () -> gateway.acknowledgedBatches.get() >= before + 10);
    }
}

package io.mcpslo.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, for the
 * all-in-one mode and the integration tests. It wraps Kafka's test kit, which has no compatibility promise,
 * so nothing else in the project touches that API. Needs kafka_2.13, kafka-server and
 * kafka-test-common-runtime on the classpath (optional dependencies of this module).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final Path dataDirectory;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Path dataDirectory) {
        this.cluster = cluster;
        this.dataDirectory = dataDirectory;
    }

    /** Formats and starts a fresh broker with its data in a temporary folder, removed when it stops. */
    public static EmbeddedKafkaBroker start() {
        try {
            Path dataDirectory = Files.createTempDirectory("mcp-slo-kafka-");
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dataDirectory)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes.build())
                    // the test kit would delete the folder while the broker still writes its last checkpoints
                    .setDeleteOnClose(false)
                    // one broker: every internal topic must accept a replication factor of 1
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "4")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaBroker(cluster, dataDirectory);
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not stop cleanly", e);
        }
    }
}

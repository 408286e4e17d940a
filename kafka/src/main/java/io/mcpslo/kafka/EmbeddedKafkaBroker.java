package io.mcpslo.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, for the all-in-one
 * mode and the integration tests. Its log lives in one folder, formatted on first use and reused afterwards,
 * so what it acknowledged survives a restart (also after kill -9: Kafka recovers the log, and its folder locks
 * die with the process). Needs kafka_2.13, kafka-server and kafka-metadata on the classpath (optional
 * dependencies of this module); it uses Kafka's server classes, which have no compatibility promise, so nothing
 * else touches them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final FileChannel exclusive;
    private final String bootstrapServers;
    private final Path logDirectory;
    private final boolean deleteOnClose;

    private EmbeddedKafkaBroker(KafkaRaftServer server, FileChannel exclusive, String bootstrapServers,
                                Path logDirectory, boolean deleteOnClose) {
        this.server = server;
        this.exclusive = exclusive;
        this.bootstrapServers = bootstrapServers;
        this.logDirectory = logDirectory;
        this.deleteOnClose = deleteOnClose;
    }

    /** Formats and starts a fresh broker on a free port with its log in a temporary folder, removed when it stops. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(Files.createTempDirectory("mcp-slo-kafka-"), 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the embedded Kafka broker", e);
        }
    }

    /**
     * Starts the broker whose log lives in {@code logDirectory}, formatting it only if it was never formatted, on
     * {@code port} (0: any free port).
     */
    public static EmbeddedKafkaBroker startPersistent(Path logDirectory, int port) {
        return start(logDirectory, port, false);
    }

    /**
     * One node of a cluster of {@code clusterSize} combined broker-controller nodes that vote among
     * {@code voters} ({@code id@host:controllerPort,…}); every node of a cluster is formatted with the same
     * {@code clusterId}. Internal topics are replicated to up to three nodes and need two in sync when there are.
     */
    record ClusterNode(int nodeId, int brokerPort, int controllerPort, String voters, String clusterId,
                       int clusterSize) {
    }

    private static EmbeddedKafkaBroker start(Path logDirectory, int port, boolean deleteOnClose) {
        try {
            int brokerPort = port == 0 ? freePort() : port;
            // the controller's port is only used inside this JVM and is not stored in the log, so any free one will do
            int controllerPort = freePort();
            return start(logDirectory, new ClusterNode(NODE_ID, brokerPort, controllerPort,
                    NODE_ID + "@127.0.0.1:" + controllerPort, null, 1), deleteOnClose);
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Kafka broker", e);
        }
    }

    /** Starts one node of a cluster (see {@link EmbeddedKafkaCluster}), formatting its log on first use. */
    static EmbeddedKafkaBroker startNode(Path logDirectory, ClusterNode node) {
        return start(logDirectory, node, false);
    }

    private static EmbeddedKafkaBroker start(Path logDirectory, ClusterNode node, boolean deleteOnClose) {
        FileChannel exclusive = null;
        try {
            Files.createDirectories(logDirectory);
            exclusive = lockExclusively(logDirectory);
            KafkaConfig config = KafkaConfig.fromProps(properties(logDirectory, node), false);
            if (Files.exists(logDirectory.resolve("meta.properties"))) {
                LOG.info("reusing the Kafka log in {}", logDirectory);
            } else {
                format(logDirectory, node);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            String bootstrap = "127.0.0.1:" + node.brokerPort();
            try {
                server.startup();
                awaitUnfenced(bootstrap, node.nodeId());
            } catch (Exception e) {
                server.shutdown();
                throw e;
            }
            return new EmbeddedKafkaBroker(server, exclusive, bootstrap, logDirectory, deleteOnClose);
        } catch (Exception e) {
            closeQuietly(exclusive);
            throw new IllegalStateException("the embedded Kafka broker did not start with its log in " + logDirectory
                    + ": " + e, e);
        }
    }

    /**
     * Kafka locks its log folder only once the broker half starts, after the controller half has already written
     * to the metadata log: a second broker on the same folder would corrupt it under the first, whose JVM then
     * halts. So the folder is locked before either starts. The lock dies with the process (kill -9 included).
     */
    private static FileChannel lockExclusively(Path logDirectory) throws IOException {
        FileChannel channel = FileChannel.open(logDirectory.resolve(".mcp-slo.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException inThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the Kafka log in " + logDirectory + " is in use by another broker"
                    + " (is another `mcp-slo up` running on this MCP_SLO_DATA_DIR?)");
        }
        return channel;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("cannot release the lock on the Kafka log: {}", e.toString());
            }
        }
    }

    private static Properties properties(Path logDirectory, ClusterNode node) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(node.nodeId()));
        props.put("controller.quorum.voters", node.voters());
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + node.brokerPort() + ",CONTROLLER://127.0.0.1:"
                + node.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + node.brokerPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDirectory.toAbsolutePath().toString());
        // one broker: every internal topic must accept a replication factor of 1; a cluster keeps three copies
        // and acknowledges once two hold a write, so one node may be down without losing or refusing anything
        String replicas = String.valueOf(Math.min(3, node.clusterSize()));
        String inSync = node.clusterSize() > 1 ? "2" : "1";
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", inSync);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", inSync);
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", inSync);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        // Kafka's default takes 128 MB of heap for compaction; the few compacted topics here (offsets, changelogs)
        // need far less, and the broker shares the heap with the whole pipeline (or a 192 MB test JVM)
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return props;
    }

    private static void format(Path logDirectory, ClusterNode node) throws Exception {
        String clusterId = node.clusterId() != null ? node.clusterId() : Uuid.randomUuid().toString();
        LOG.info("formatting a new Kafka log in {} (cluster id {}, node {})", logDirectory, clusterId, node.nodeId());
        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setNodeId(node.nodeId())
                .setClusterId(clusterId)
                .setDirectories(List.of(logDirectory.toAbsolutePath().toString()))
                .setMetadataLogDirectory(logDirectory.toAbsolutePath().toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    /** Startup returns before the broker has registered with its controller; clients would get no metadata. */
    private static void awaitUnfenced(String bootstrap, int nodeId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream()
                    .noneMatch(registered -> registered.id() == nodeId)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not register within 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        closeQuietly(exclusive);
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(logDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the embedded Kafka broker's temporary log", e);
            }
        }
    }
}

package io.mcpslo.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft cluster of combined broker-controller nodes inside this JVM, for the tests of what a cluster
 * promises: three copies of every topic, two in sync, so one node can be stopped and started again on its own log
 * while producers, Streams and consumers carry on. Logs live in a temporary folder removed on close.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private final Path directory;
    private final List<EmbeddedKafkaBroker.ClusterNode> nodes;
    private final EmbeddedKafkaBroker[] running; // by index; null while a node is stopped

    private EmbeddedKafkaCluster(Path directory, List<EmbeddedKafkaBroker.ClusterNode> nodes) {
        this.directory = directory;
        this.nodes = nodes;
        this.running = new EmbeddedKafkaBroker[nodes.size()];
    }

    /** Formats and starts {@code size} nodes (at least three, so that two copies stay in sync with one node down). */
    public static EmbeddedKafkaCluster start(int size) {
        if (size < 3) {
            throw new IllegalArgumentException("a cluster needs at least 3 nodes, was " + size);
        }
        try {
            Path directory = Files.createTempDirectory("mcp-slo-kafka-cluster-");
            // taken in one go: two separate calls could hand a port closed by the first to the second
            int[] ports = freePorts(2 * size);
            int[] brokerPorts = java.util.Arrays.copyOfRange(ports, 0, size);
            int[] controllerPorts = java.util.Arrays.copyOfRange(ports, size, 2 * size);
            String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i])
                    .collect(Collectors.joining(","));
            String clusterId = Uuid.randomUuid().toString();
            List<EmbeddedKafkaBroker.ClusterNode> nodes = IntStream.range(0, size)
                    .mapToObj(i -> new EmbeddedKafkaBroker.ClusterNode(i + 1, brokerPorts[i], controllerPorts[i], voters,
                            clusterId, size)).toList();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(directory, nodes);
            // a node waits for a quorum of controllers before it registers: all start at once, each on a thread of
            // its own (the common pool may have a single thread on a small machine)
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int index = i;
                CompletableFuture<Void> started = new CompletableFuture<>();
                Thread.ofPlatform().name("kafka-node-" + (i + 1) + "-start").start(() -> {
                    try {
                        cluster.startNode(index);
                        started.complete(null);
                    } catch (RuntimeException e) {
                        started.completeExceptionally(e);
                    }
                });
                starts.add(started);
            }
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                cluster.close();
                throw new IllegalStateException("the embedded Kafka cluster did not start: " + e.getCause(), e);
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the embedded Kafka cluster", e);
        }
    }

    public int size() {
        return nodes.size();
    }

    /** Every node's listener, so that clients find the cluster whichever node is down. */
    public String bootstrapServers() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.brokerPort()).collect(Collectors.joining(","));
    }

    /** Stops node {@code index} (0-based) as a clean shutdown would; its log stays. */
    public void stopNode(int index) {
        if (running[index] != null) {
            running[index].close();
            running[index] = null;
        }
    }

    /** Starts node {@code index} again on its own log and ports. */
    public void startNode(int index) {
        if (running[index] == null) {
            EmbeddedKafkaBroker.ClusterNode node = nodes.get(index);
            running[index] = EmbeddedKafkaBroker.startNode(directory.resolve("node-" + node.nodeId()), node);
        }
    }

    /**
     * Stops every node at once: stopped one by one, the last broker would wait for a controller quorum that left
     * with the others before it can shut down cleanly.
     */
    @Override
    public void close() {
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> stops = new ArrayList<>();
        for (int i = 0; i < running.length; i++) {
            int index = i;
            stops.add(Thread.ofPlatform().name("kafka-node-" + (i + 1) + "-stop").start(() -> {
                try {
                    stopNode(index);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new IllegalStateException("interrupted while the cluster stopped", e));
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            failures.add(new UncheckedIOException(e));
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static int[] freePorts(int count) throws IOException {
        // held open together so that no two are the same
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}

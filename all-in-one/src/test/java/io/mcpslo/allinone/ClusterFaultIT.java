package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaCluster;
import io.mcpslo.processor.ProcessorConfig;
import io.mcpslo.processor.StreamProcessor;
import io.mcpslo.processor.StreamProcessorMain;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
 * sync), three processor instances with the same application id (a second joining and leaving, a third in a JVM of
 * its own killed with SIGKILL mid-run), and one broker stopped and started again, all under load. Every acknowledged call is stored once and counted once; the simulator's incident on
 * jira, burning while the SLO evaluation tasks move between the instances, pages once.
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
    void everyCallAcknowledgedWhileABrokerStopsAndProcessorsJoinLeaveAndDieIsStoredAndCountedOnce() throws Exception {
        String server = "cluster";
        ResendingGateway gateway = new ResendingGateway(pipeline, server);
        Thread client = Thread.ofPlatform().name("resending-gateway").start(gateway);
        // jira's incident burns from 10 s to 70 s: through the joins, the leave and the broker stop below
        var simulator = new TrafficSimulator(new TrafficSimulator.Options(
                URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events"), pipeline.tokens().gateway(),
                200, Duration.ofSeconds(10), Duration.ofSeconds(60), 23), Clock.systemUTC());
        Thread incident = Thread.ofPlatform().name("cluster-simulator").daemon().start(simulator);
        try {
            awaitMoreBatches(gateway, "before any fault");
            StreamProcessor second = StreamProcessor.start(ProcessorConfig.from(settings.with(Map.of(
                    "PROCESSOR_STATE_DIR", dataDir.resolve("second-processor").toString()))));
            try {
                awaitMoreBatches(gateway, "with a second processor instance in the group");
                StringBuffer thirdOutput = new StringBuffer();
                Process third = startProcessorProcess(thirdOutput);
                try {
                    try {
                        Await.until("three processor instances with partitions assigned", Duration.ofSeconds(120),
                                () -> processorInstances() == 3);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + " (instances: " + processorInstances()
                                + ", third alive: " + third.isAlive() + "); its output:\n" + thirdOutput, e);
                    }
                    awaitMoreBatches(gateway, "with three processor instances");
                } finally {
                    third.destroyForcibly().waitFor(); // SIGKILL mid-run: no commit, no leave, a transaction open
                }
                assertEquals(137, third.exitValue(), "the third instance was killed, not stopped:\n" + thirdOutput);
                awaitMoreBatches(gateway, "after the third processor instance was killed");
                cluster.stopNode(1);
                awaitMoreBatches(gateway, "with one broker of three stopped");
            } finally {
                second.close();
            }
            awaitMoreBatches(gateway, "after the second processor instance left");
            cluster.startNode(1);
            awaitMoreBatches(gateway, "with the broker back");
            Await.until("jira's incident paging the local receiver", Duration.ofSeconds(120),
                    () -> !jiraPages().isEmpty());
        } finally {
            gateway.stop = true;
            client.join(TimeUnit.MINUTES.toMillis(3));
            simulator.close();
            incident.join(5_000);
        }
        // an alert state lost in a move would page again under a new dedup key
        Set<String> incidents = new HashSet<>();
        jiraPages().forEach(page -> incidents.add(page.get("dedup_key").asText()));
        assertEquals(1, incidents.size(), "one incident, paged once: " + jiraPages());
        assertFalse(client.isAlive(), "the gateway still resends a batch the collector does not acknowledge");
        assertNull(gateway.failure, "the gateway thread failed: " + gateway.failure);
        System.out.printf("cluster row: %d calls acknowledged in %d batches, %d answers not 200%n",
                gateway.acknowledged.size(), gateway.acknowledgedBatches.get(), gateway.refusals.get());

        new StoredOnceCheck(pipeline, clickHouse, cluster::bootstrapServers)
                .assertStoredAndCountedOnce(server, gateway.acknowledged);
    }

    /** A processor instance in a JVM of its own (same application id), so that it can be killed with SIGKILL. */
    private static Process startProcessorProcess(StringBuffer output) throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StreamProcessorMain.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(settings.with(Map.of("PROCESSOR_STATE_DIR",
                dataDir.resolve("third-processor").toString())).values());
        Process process = builder.start();
        Thread.ofPlatform().daemon().start(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (java.io.IOException e) {
                output.append(e).append('\n');
            }
        });
        return process;
    }

    /**
     * Processor instances with partitions assigned in the consumer group (the application id), as the group
     * coordinator sees them: each instance's stream threads are members, named
     * {@code <application id>-<process id>-StreamThread-<n>-consumer}.
     */
    private static long processorInstances() {
        String group = settings.string("PROCESSOR_APPLICATION_ID", "");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            return admin.describeConsumerGroups(java.util.List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .members().stream().filter(member -> !member.assignment().topicPartitions().isEmpty())
                    .map(member -> member.clientId().replaceAll("-StreamThread-\\d+-consumer$", "")).distinct().count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The PagerDuty triggers the local receiver got for jira-availability. */
    private static java.util.List<JsonNode> jiraPages() {
        java.util.List<JsonNode> triggers = new java.util.ArrayList<>();
        URI pages = URI.create("http://127.0.0.1:" + pipeline.receiver().port() + "/pages");
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (JsonNode page : EventCodec.MAPPER.readTree(http.send(HttpRequest.newBuilder(pages).build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                JsonNode body = page.get("body");
                if (page.get("path").asText().equals("/pagerduty") && body.path("event_action").asText().equals("trigger")
                        && body.path("payload").path("component").asText().equals("jira-availability")) {
                    triggers.add(body);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return triggers;
    }

    private static void awaitMoreBatches(ResendingGateway gateway, String phase) throws InterruptedException {
        int before = gateway.acknowledgedBatches.get();
        Await.until("10 more acknowledged batches " + phase, Duration.ofSeconds(120),
                () -> gateway.acknowledgedBatches.get() >= before + 10);
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.processor.sink.SinkTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's fault matrix, through the real broker and the real ClickHouse: whatever the fault, what the collector
 * acknowledged with 200 is what ClickHouse holds — every acknowledged call stored once and counted once in the
 * rollups, none lost, none twice. The broker belongs to the test (the pipeline reaches it as it would reach a
 * cluster) so that it can be stopped and started again on the same log and port while the pipeline keeps running.
 */
class FaultMatrixIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ClickHouseClient clickHouse;
    private static Path dataDir;
    private static int brokerPort;
    private static EmbeddedKafkaBroker broker;
    private static Pipeline pipeline;
    private static CuttableTcpProxy clickHouseLink;

    @BeforeAll
    static void start() throws Exception {
        clickHouse = ClickHouseTestSupport.freshDatabase("faults");
        dataDir = Files.createTempDirectory("mcp-slo-faults");
        brokerPort = freePort();
        broker = EmbeddedKafkaBroker.startPersistent(dataDir.resolve("kafka"), brokerPort);
        // the pipeline reaches ClickHouse through a link the ClickHouse row cuts; the test's own client does not
        clickHouseLink = CuttableTcpProxy.start(clickHouse.config().url().getPort());
        pipeline = Pipeline.start(Settings.fromEnvironment().with(Map.ofEntries(
                Map.entry("CLICKHOUSE_URL", "http://127.0.0.1:" + clickHouseLink.port()),
                Map.entry("CLICKHOUSE_DATABASE", clickHouse.database()),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
                Map.entry("KAFKA_REPLICATION_FACTOR", "1"),
                Map.entry("COLLECTOR_PORT", "0"), Map.entry("QUERY_API_PORT", "0"),
                Map.entry("PROCESSOR_METRICS_PORT", "0"), Map.entry("LOCAL_RECEIVER_PORT", "0"),
                Map.entry("PROCESSOR_APPLICATION_ID", "faults-" + UUID.randomUUID()),
                // a gateway learns of an outage within seconds, not after the 10 s default
                Map.entry("COLLECTOR_KAFKA_TIMEOUT", "3s"),
                Map.entry("SINK_FLUSH_INTERVAL", "200ms"),
                Map.entry("SLO_DIR", "../slos"),
                Map.entry("MCP_SLO_DATA_DIR", dataDir.toString()))));
    }

    @AfterAll
    static void stop() throws IOException {
        if (pipeline != null) {
            pipeline.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (clickHouseLink != null) {
            clickHouseLink.close();
        }
        ClickHouseTestSupport.drop(clickHouse);
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void everyCallAcknowledgedWhileTheBrokerRestartsUnderLoadIsStoredAndCountedOnce() throws Exception {
        String server = "broker-restart";
        ResendingGateway gateway = new ResendingGateway(server);
        Thread client = Thread.ofPlatform().name("resending-gateway").start(gateway);
        try {
            await("acknowledged traffic before the outage", Duration.ofSeconds(60),
                    () -> gateway.acknowledgedBatches.get() >= 10);

            broker.close();
            // the wait is not the assertion: if the collector acknowledged while Kafka was down, the comparison
            // below finds the calls it lost
            awaitQuietly(Duration.ofSeconds(20), () -> gateway.refusals.get() >= 2);
            broker = EmbeddedKafkaBroker.startPersistent(dataDir.resolve("kafka"), brokerPort);
            int acknowledgedBeforeRestart = gateway.acknowledgedBatches.get();

            await("acknowledged traffic after the broker is back", Duration.ofSeconds(120),
                    () -> gateway.acknowledgedBatches.get() >= acknowledgedBeforeRestart + 10);
        } finally {
            gateway.stop = true;
            client.join(TimeUnit.MINUTES.toMillis(3));
        }
        assertFalse(client.isAlive(), "the gateway still resends a batch the collector does not acknowledge");
        assertNull(gateway.failure, "the gateway thread failed: " + gateway.failure);
        System.out.printf("broker restart under load: %d calls acknowledged in %d batches, %d answers not 200%n",
                gateway.acknowledged.size(), gateway.acknowledgedBatches.get(), gateway.refusals.get());

        assertStoredAndCountedOnce(server, gateway.acknowledged);
        assertTrue(gateway.refusals.get() > 0, "the gateway felt the broker's outage (got a non-200 answer)");
    }

    /**
     * ClickHouse gone for two minutes (override with {@code -Dfaults.clickhouseOutage=PT20S} while working on it):
     * the collector goes on acknowledging, Kafka holds what it acknowledged, the processor says which tables wait,
     * the query API answers 503, and everything lands once ClickHouse is back.
     */
    @Test
    void everyCallAcknowledgedWhileClickHouseIsDownIsStoredOnceItIsBack() throws Exception {
        Duration outage = Duration.parse(System.getProperty("faults.clickhouseOutage", "PT2M"));
        String server = "clickhouse-outage";
        ResendingGateway gateway = new ResendingGateway(server);
        Thread client = Thread.ofPlatform().name("resending-gateway").start(gateway);
        int refusedBeforeOutage;
        int acknowledgedDuringOutage;
        try {
            await("acknowledged traffic before the outage", Duration.ofSeconds(60),
                    () -> gateway.acknowledgedBatches.get() >= 10);
            refusedBeforeOutage = gateway.refusals.get();
            assertEquals(SinkTable.ALL.size(), processorMetric("mcp_sink_store_available"),
                    "every table's store is available before the outage");
            int acknowledgedBeforeOutage = gateway.acknowledgedBatches.get();
            clickHouseLink.cut();
            try {
                await("the processor's health to name the tables waiting for storage", Duration.ofSeconds(60), () -> {
                    JsonNode health = processorHealth();
                    return health.path("status").asText().equals("degraded")
                            && health.path("storage_waiting").has("calls");
                });
                HttpResponse<String> query = queryApi("/api/v1/failures?server=" + server);
                assertEquals(503, query.statusCode(), "the query API says storage is unreachable: " + query.body());
                assertTrue(query.body().contains("unreachable"), query.body());
                Thread.sleep(outage.toMillis());
                acknowledgedDuringOutage = gateway.acknowledgedBatches.get() - acknowledgedBeforeOutage;
                assertTrue(processorMetric("mcp_sink_store_available") < SinkTable.ALL.size(),
                        "the store-available gauge drops for the tables waiting while ClickHouse is gone");
            } finally {
                clickHouseLink.restore();
            }
            await("the processor's health to be up again", Duration.ofSeconds(120),
                    () -> processorHealth().path("status").asText().equals("up"));
        } finally {
            gateway.stop = true;
            client.join(TimeUnit.MINUTES.toMillis(3));
        }
        assertFalse(client.isAlive(), "the gateway still resends a batch the collector does not acknowledge");
        assertNull(gateway.failure, "the gateway thread failed: " + gateway.failure);
        System.out.printf("ClickHouse down %s under load: %d calls acknowledged in %d batches (%d during the outage)%n",
                outage, gateway.acknowledged.size(), gateway.acknowledgedBatches.get(), acknowledgedDuringOutage);

        assertEquals(refusedBeforeOutage, gateway.refusals.get(), "the collector refused nothing while ClickHouse was down");
        assertTrue(acknowledgedDuringOutage > 10, "traffic went on during the outage: " + acknowledgedDuringOutage);
        assertStoredAndCountedOnce(server, gateway.acknowledged);
    }

    @Test
    void aBatchResentBecauseItsAnswerWasLostIsCountedOnce() throws Exception {
        String server = "resent";
        List<ObjectNode> batch = TestGateway.calls(server, 300);
        long duplicatesBefore = processorMetric("mcp_processor_calls_duplicate_total");

        TestGateway.post(pipeline, batch);
        // the collector died after Kafka took the batch and before its 200 reached the gateway, which resends the
        // same batch; a second resend races the first
        List<CompletableFuture<HttpResponse<String>>> resends = List.of(
                CompletableFuture.supplyAsync(() -> send(batch)), CompletableFuture.supplyAsync(() -> send(batch)));
        for (CompletableFuture<HttpResponse<String>> resend : resends) {
            HttpResponse<String> response = resend.get(2, TimeUnit.MINUTES);
            assertEquals(200, response.statusCode(), "the collector acknowledges a resend: " + response.body());
        }

        assertStoredAndCountedOnce(server, batch.stream().map(call -> call.get("event_id").asText())
                .collect(Collectors.toSet()));
        assertTrue(processorMetric("mcp_processor_calls_duplicate_total") - duplicatesBefore >= 2L * batch.size(),
                "both resent copies reached the processor and were recognised as duplicates");
    }

    /** A gateway posting batches of fresh calls until stopped, resending a batch unchanged until it gets a 200. */
    private static final class ResendingGateway implements Runnable {

        private final String server;
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicInteger acknowledgedBatches = new AtomicInteger();
        private final AtomicInteger refusals = new AtomicInteger();
        private volatile boolean stop;
        private volatile Throwable failure;

        ResendingGateway(String server) {
            this.server = server;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    List<ObjectNode> batch = TestGateway.calls(server, 20);
                    // stopping only between batches: a batch in flight is resent until acknowledged, so every call
                    // sent is either acknowledged or never left the gateway
                    while (!accepted(batch)) {
                        refusals.incrementAndGet();
                        Thread.sleep(200);
                    }
                    batch.forEach(call -> acknowledged.add(call.get("event_id").asText()));
                    acknowledgedBatches.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception | AssertionError e) {
                failure = e;
            }
        }

        /** True on 200, false when resending may help (503, no answer); anything else fails the row. */
        private boolean accepted(List<ObjectNode> batch) throws InterruptedException {
            HttpResponse<String> response;
            try {
                response = TestGateway.send(pipeline.collectorPort(), pipeline.tokens().gateway(), batch);
            } catch (IOException unanswered) {
                return false;
            }
            if (response.statusCode() != 200 && response.statusCode() != 503) {
                throw new AssertionError("the collector answered " + response.statusCode() + ": " + response.body());
            }
            return response.statusCode() == 200;
        }
    }

    /**
     * The comparison every row ends in. It first makes sure everything sent for {@code server} has reached
     * ClickHouse, so that a call counted twice cannot hide behind one not yet written: a marker call in a minute of
     * its own goes into the same partition behind all of them (one key per server and tool); once its minute is in
     * the rollups, every earlier window was emitted in the same or an earlier commit; once the sink has caught up
     * with the calls and rollups topics as they are then, ClickHouse holds the final rows.
     */
    private static void assertStoredAndCountedOnce(String server, Set<String> acknowledgedIds) throws Exception {
        Set<String> acknowledged = new HashSet<>(acknowledgedIds);
        Instant markerMinute = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        ObjectNode marker = TestGateway.call(server, "ok");
        marker.put("ts", markerMinute.plusSeconds(30).toString());
        TestGateway.post(pipeline, List.of(marker));
        acknowledged.add(marker.get("event_id").asText());

        String where = " WHERE server = '" + server + "'";
        await("the marker rolled up", Duration.ofSeconds(120), () -> scalar("SELECT count() FROM call_rollups_1m FINAL"
                + where + " AND window_start = toDateTime(" + markerMinute.getEpochSecond() + ")") == 1);
        awaitSinkCaughtUp(Set.of("calls", "call_rollups_1m"));

        Set<String> stored = clickHouse.query("SELECT toString(event_id) AS id FROM calls FINAL" + where).stream()
                .map(row -> row.get("id").asText()).collect(Collectors.toSet());
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        Set<String> unacknowledged = new HashSet<>(stored);
        unacknowledged.removeAll(acknowledged);
        assertEquals(Set.of(), lost, "acknowledged calls missing from ClickHouse (" + lost.size() + " of "
                + acknowledged.size() + ")");
        assertEquals(Set.of(), unacknowledged, "calls in ClickHouse the collector never acknowledged");
        assertEquals(acknowledged.size(), scalar("SELECT count() FROM calls FINAL" + where),
                "one row per acknowledged call");
        assertEquals(acknowledged.size(), scalar("SELECT sum(calls) FROM call_rollups_1m FINAL" + where),
                "the rollups count every acknowledged call once");
    }

    /**
     * Waits until the sink loops of {@code tables} have committed past the last record now in their topics. The
     * sink commits the offset after the last record it wrote, and under exactly-once a topic ends in transaction
     * markers, so the mark to reach is found by reading each topic as the sink does (read_committed).
     */
    private static void awaitSinkCaughtUp(Set<String> tables) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            for (SinkTable<?> sink : SinkTable.ALL) {
                if (!tables.contains(sink.name())) {
                    continue;
                }
                Map<TopicPartition, Long> written = afterLastRecord(sink.topic().name());
                await(sink.groupId() + " committed past " + written, Duration.ofSeconds(120), () -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(admin, sink.groupId());
                    return written.entrySet().stream().allMatch(mark -> committed.containsKey(mark.getKey())
                            && committed.get(mark.getKey()).offset() >= mark.getValue());
                });
            }
        }
    }

    /** For each partition of {@code topic} holding committed records: the offset after the last one. */
    private static Map<TopicPartition, Long> afterLastRecord(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> afterLast = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    afterLast.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1,
                            Math::max);
                }
            }
            return afterLast;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    present.put(partition, offset);
                }
            });
            return present;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + group, e);
        }
    }

    private static HttpResponse<String> send(List<ObjectNode> batch) {
        try {
            return TestGateway.send(pipeline.collectorPort(), pipeline.tokens().gateway(), batch);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long scalar(String sql) {
        JsonNode value = clickHouse.query("SELECT (" + sql + ") AS v").get(0).get("v");
        return value.asLong();
    }

    private static JsonNode processorHealth() {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + pipeline.processorMetricsPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> queryApi(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.queryPort() + pathAndQuery))
                .header("Authorization", "Bearer " + pipeline.tokens().sre()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long processorMetric(String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + pipeline.processorMetricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!awaitQuietly(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }

    private static boolean awaitQuietly(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

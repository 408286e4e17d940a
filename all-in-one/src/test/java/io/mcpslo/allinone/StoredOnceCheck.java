package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.processor.sink.SinkTable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What every fault-matrix row ends in: ClickHouse holds each acknowledged call once, in the raw table and the rollups. */
final class StoredOnceCheck {

    private final Pipeline pipeline;
    private final ClickHouseClient clickHouse;
    private final Supplier<String> bootstrapServers;

    /** {@code bootstrapServers} is asked each time: a row may have replaced the broker. */
    StoredOnceCheck(Pipeline pipeline, ClickHouseClient clickHouse, Supplier<String> bootstrapServers) {
        this.pipeline = pipeline;
        this.clickHouse = clickHouse;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The comparison every row ends in. It first makes sure everything sent for {@code server} has reached
     * ClickHouse, so that a call counted twice cannot hide behind one not yet written: a marker call in a minute of
     * its own goes into the same partition behind all of them (one key per server and tool); once its minute is in
     * the rollups, every earlier window was emitted in the same or an earlier commit; once the sink has caught up
     * with the calls and rollups topics as they are then, ClickHouse holds the final rows.
     */
    void assertStoredAndCountedOnce(String server, Set<String> acknowledgedIds) throws Exception {
        Set<String> acknowledged = new HashSet<>(acknowledgedIds);
        Instant markerMinute = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        ObjectNode marker = TestGateway.call(server, "ok");
        marker.put("ts", markerMinute.plusSeconds(30).toString());
        TestGateway.post(pipeline, List.of(marker));
        acknowledged.add(marker.get("event_id").asText());

        String where = " WHERE server = '" + server + "'";
        Await.until("the marker rolled up", Duration.ofSeconds(120), () -> scalar("SELECT count() FROM call_rollups_1m FINAL"
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
    void awaitSinkCaughtUp(Set<String> tables) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get()))) {
            for (SinkTable<?> sink : SinkTable.ALL) {
                if (!tables.contains(sink.name())) {
                    continue;
                }
                Map<TopicPartition, Long> written = afterLastRecord(sink.topic().name());
                Await.until(sink.groupId() + " committed past " + written, Duration.ofSeconds(120), () -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(admin, sink.groupId());
                    return written.entrySet().stream().allMatch(mark -> committed.containsKey(mark.getKey())
                            && committed.get(mark.getKey()).offset() >= mark.getValue());
                });
            }
        }
    }

    /** For each partition of {@code topic} holding committed records: the offset after the last one. */
    private Map<TopicPartition, Long> afterLastRecord(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get(),
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

    long scalar(String sql) {
        JsonNode value = clickHouse.query("SELECT (" + sql + ") AS v").get(0).get("v");
        return value.asLong();
    }
}

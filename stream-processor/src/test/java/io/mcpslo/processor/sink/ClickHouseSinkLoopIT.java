package io.mcpslo.processor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink against the real broker and ClickHouse: down, then up, then a replay. */
class ClickHouseSinkLoopIT {

    private static final SinkSettings FAST = new SinkSettings(1_000, Duration.ofMillis(100), Duration.ofSeconds(1));
    private static EmbeddedKafkaBroker broker;
    private static ClickHouseClient clickHouse;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        TopicAdmin.ensureTopics(KafkaSettings.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers()))), Duration.ofSeconds(30));
        clickHouse = ClickHouseTestSupport.freshDatabase("sink");
    }

    @AfterAll
    static void stop() {
        broker.close();
        ClickHouseTestSupport.drop(clickHouse);
    }

    private static List<CallEvent> calls(int n) {
        List<CallEvent> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i),
                    "gw", "sink", "1", "tool_" + (i % 3), "tools/call", null, null, null, null, null, null);
            calls.add(new CallEvent(envelope, i, Outcome.OK, null, null, null, null));
        }
        return calls;
    }

    private static void produce(List<CallEvent> calls) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.CALLS.valueSerde().serializer())) {
            calls.forEach(call -> producer.send(new ProducerRecord<>(Topics.CALLS.name(), call.partitionKey(), call)));
        }
    }

    private static long committedOffsets() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(ClickHouseSinkLoop.GROUP_ID).partitionsToOffsetAndMetadata().get()
                    .values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long storedCalls() {
        return clickHouse.query("SELECT count() AS n FROM calls FINAL WHERE server = 'sink'").get(0).get("n").asLong();
    }

    private static void await(String what, long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(expected, actual.getAsLong(), what);
    }

    private static ClickHouseSinkLoop loop(ClickHouseClient client, SimpleMeterRegistry registry) {
        var loop = new ClickHouseSinkLoop(broker.bootstrapServers(), new ClickHousePipelineStore(client, Clock.systemUTC()),
                FAST, registry);
        Thread.ofPlatform().name("sink-under-test").start(loop);
        return loop;
    }

    @Test
    void offsetsWaitForClickHouseAndAReplayCollapses() throws Exception {
        List<CallEvent> calls = calls(50);
        produce(calls);

        var downRegistry = new SimpleMeterRegistry();
        var unreachable = new ClickHouseClient(ClickHouseConfig.from(new Settings(Map.of(
                "CLICKHOUSE_URL", "http://127.0.0.1:1", "CLICKHOUSE_TIMEOUT", "1s"))));
        try (var down = loop(unreachable, downRegistry)) {
            await("write attempts while ClickHouse is down", 1,
                    () -> Math.min(1, (long) downRegistry.get("mcp_sink_write_failures").counter().count()));
        }
        assertEquals(0, committedOffsets(), "no offset may move while ClickHouse refused the batch");

        try (var up = loop(clickHouse, new SimpleMeterRegistry())) {
            await("rows once ClickHouse is reachable", 50, ClickHouseSinkLoopIT::storedCalls);
            await("offsets after ClickHouse accepted", 50, ClickHouseSinkLoopIT::committedOffsets);
            produce(calls);
            await("offsets after the replay", 100, ClickHouseSinkLoopIT::committedOffsets);
        }
        assertEquals(50, storedCalls(), "a replayed batch collapses");
        assertTrue(clickHouse.query("SELECT count() AS n FROM calls WHERE server = 'sink'").get(0).get("n").asLong() >= 50);
    }
}

package io.mcpslo.processor;

import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/** What the processor's integration tests share: waiting for the Streams app, and calls put on the raw topic. */
final class ProcessorItSupport {

    private ProcessorItSupport() {
    }

    static void awaitRunning(StreamProcessor processor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (processor.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the processor is " + processor.state() + " after 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** {@code calls} ok calls of github/search, stamped now, as the collector writes them. */
    static void sendCalls(EmbeddedKafkaBroker broker, int calls) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.<String, Object>of("bootstrap.servers",
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < calls; i++) {
                String json = """
                        {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","server_version":"1.0",\
                        "tool":"search","method":"tools/call","duration_ms":12,"outcome":"ok"}"""
                        .formatted(UUID.randomUUID(), Instant.now());
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "github|search",
                        json.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** The consumer group {@code group} has committed {@code records} records of {@code topic} within 90 s. */
    static void awaitCommitted(Admin admin, String group, String topic, long records) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long committed = 0;
        while (System.nanoTime() < deadline) {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(topic))
                    .mapToLong(entry -> entry.getValue().offset()).sum();
            if (committed >= records) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(group + " committed " + committed + " of " + records + " records of " + topic);
    }
}

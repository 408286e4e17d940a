package io.mcpslo.collector;

import io.mcpslo.kafka.CallEventWire;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.McpEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces events with an idempotent producer (acks=all), keyed by server|tool. The collector has validated them
 * already, so calls and audit events go straight to the stream's validated topics: the stream does not parse and
 * validate them a second time, and the rollup reads them as soon as Kafka acknowledges them instead of after a
 * Streams transaction. The raw events topic stays for producers that write Kafka directly; the stream validates
 * those.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    public KafkaEventPublisher(KafkaSettings kafka, Duration timeout) {
        this.timeout = timeout;
        int timeoutMs = (int) timeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // one HTTP batch is up to a few MB; with the 16 KB default it takes dozens of round trips per partition
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.CLIENT_ID_CONFIG, "mcp-slo-collector"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(List<McpEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (McpEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(topicFor(event), event.partitionKey(), valueOf(event))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka did not acknowledge the batch: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge the batch within " + timeout, e);
        } catch (KafkaException e) {
            throw new PublishFailedException("Kafka unavailable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for Kafka", e);
        }
    }

    /** The event in its topic's wire format: calls binary ({@link CallEventWire}), audit events JSON. */
    static byte[] valueOf(McpEvent event) {
        return switch (event) {
            case CallEvent call -> CallEventWire.encode(call);
            case AuditEvent audit -> EventCodec.encodeBytes(audit);
        };
    }

    static String topicFor(McpEvent event) {
        return switch (event) {
            case CallEvent call -> Topics.CALLS.name();
            case AuditEvent audit -> Topics.AUDIT.name();
        };
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

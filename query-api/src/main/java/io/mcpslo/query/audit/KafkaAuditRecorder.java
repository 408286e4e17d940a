package io.mcpslo.query.audit;

import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.EventCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes the API's audit events to the raw event topic, where the stream validates and chains them. */
public final class KafkaAuditRecorder implements AuditRecorder {

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    public KafkaAuditRecorder(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void record(AuditEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.partitionKey(), EventCodec.encodeBytes(event)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while writing the audit trail", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new AuditUnavailableException("the audit trail (Kafka) did not confirm: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

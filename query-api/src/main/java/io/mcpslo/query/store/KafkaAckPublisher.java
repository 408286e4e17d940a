package io.mcpslo.query.store;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.kafka.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Acknowledgements on the compacted acknowledgements topic, keyed by dedup key: a publish returns once the broker
 * acknowledged it (all in-sync replicas). The alert reads show it once the sink has copied it to the analytics
 * store, within a flush.
 */
public final class KafkaAckPublisher implements AckPublisher, AutoCloseable {

    private final KafkaProducer<String, Acknowledgement> producer;
    private final Duration timeout;

    public KafkaAckPublisher(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                Topics.ACKS.keySerde().serializer(), Topics.ACKS.valueSerde().serializer());
    }

    @Override
    public void publish(Acknowledgement ack) {
        try {
            producer.send(new ProducerRecord<>(Topics.ACKS.name(), ack.dedupKey(), ack))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcksUnavailableException("interrupted while publishing the acknowledgement", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new AcksUnavailableException("Kafka did not confirm the acknowledgement: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

package io.mcpslo.query.store;

import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.kafka.SilenceSnapshot;
import io.mcpslo.kafka.SilenceTopicReader;
import io.mcpslo.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Silences on the compacted silences topic: a publish returns once the broker acknowledged it (all in-sync
 * replicas) and this API's own reader of the topic has read it, so the caller's next read shows it.
 */
public final class KafkaSilenceStore implements SilenceStore, AutoCloseable {

    private static final int LIST_LIMIT = 1_000;

    private final KafkaProducer<String, SilenceRevision> producer;
    private final SilenceTopicReader reader;
    private final Duration timeout;

    public KafkaSilenceStore(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                Topics.SILENCES.keySerde().serializer(), Topics.SILENCES.valueSerde().serializer());
        this.reader = new SilenceTopicReader(bootstrapServers).start();
    }

    @Override
    public void publish(SilenceRevision revision) {
        try {
            RecordMetadata stored = producer.send(new ProducerRecord<>(Topics.SILENCES.name(), revision.silence().id(),
                    revision)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!reader.awaitRead(stored.partition(), stored.offset(), timeout)) {
                throw new SilencesUnavailableException("the silence was stored but not yet read back from "
                        + Topics.SILENCES.name() + "; it takes effect shortly", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SilencesUnavailableException("interrupted while publishing the silence", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new SilencesUnavailableException("Kafka did not confirm the silence: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Silence> silences(boolean includeExpired, Instant now) {
        SilenceSnapshot snapshot = current();
        return includeExpired ? snapshot.all(LIST_LIMIT) : snapshot.unexpired(now);
    }

    @Override
    public Optional<Silence> silence(String id) {
        return current().find(id);
    }

    private SilenceSnapshot current() {
        try {
            return reader.requireCaughtUp();
        } catch (IllegalStateException e) {
            throw new SilencesUnavailableException("the silences are still being read from Kafka ("
                    + Topics.SILENCES.name() + ")", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        reader.close();
    }
}

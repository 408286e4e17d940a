package io.mcpslo.kafka;

import io.mcpslo.engine.alert.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted silences topic from its beginning into memory and follows it, on its own thread. No consumer
 * group: every reader reads every partition, so each process knows every silence, and a restarted one knows them
 * again once it has replayed the topic ({@link #awaitCaughtUp}). Readers get a {@link SilenceSnapshot} that a whole
 * poll was applied to, never a half-applied one; while Kafka is unreachable they keep getting the last one.
 */
public final class SilenceTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceTopicReader.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object progress = new Object();
    private volatile SilenceSnapshot snapshot = SilenceSnapshot.EMPTY;
    private volatile boolean caughtUp;
    private final Map<Integer, Long> positions = new HashMap<>(); // guarded by progress

    public SilenceTopicReader(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "mcp-slo-silences-" + java.util.UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "silences-reader");
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns at once. */
    public SilenceTopicReader start() {
        thread.start();
        return this;
    }

    public SilenceSnapshot snapshot() {
        return snapshot;
    }

    /** True once the reader has read the topic up to where it ended when the reader started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Silences in force at {@code now}; throws until the topic has been replayed, so no one acts on half of it. */
    public List<Silence> active(Instant now) {
        return requireCaughtUp().active(now);
    }

    /** The current snapshot; throws {@link IllegalStateException} while the topic's replay is not finished. */
    public SilenceSnapshot requireCaughtUp() {
        if (!caughtUp) {
            throw new IllegalStateException("the silences topic " + Topics.SILENCES.name() + " is still being read");
        }
        return snapshot;
    }

    /** Waits until the topic has been replayed; false when {@code timeout} passed first. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return await(timeout, () -> caughtUp);
    }

    /** Waits until the record at {@code offset} of {@code partition} is in the snapshot; false on timeout. */
    public boolean awaitRead(int partition, long offset, Duration timeout) throws InterruptedException {
        return await(timeout, () -> positions.getOrDefault(partition, 0L) > offset);
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running.get()) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endsAtStart = null;
            while (running.get()) {
                List<SilenceSnapshot.Change> changes = new ArrayList<>();
                Map<Integer, Long> read = new HashMap<>();
                try {
                    if (endsAtStart == null) {
                        endsAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(10));
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        changes.add(new SilenceSnapshot.Change(record.key(), record.value()));
                    }
                    for (TopicPartition partition : partitions) {
                        read.put(partition.partition(), consumer.position(partition, Duration.ofSeconds(10)));
                    }
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // Kafka unreachable: the silences stay as last read, and reading resumes when it is back
                    LOG.warn("cannot read {} now ({}); silences stay as last read", Topics.SILENCES.name(),
                            e.getMessage());
                    read.clear();
                }
                publish(snapshot.apply(changes), read, partitions, endsAtStart);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the silences reader stopped; silences stay as last read", e);
        } finally {
            running.set(false);
            synchronized (progress) {
                progress.notifyAll();
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Hands out the new snapshot with the positions it reflects (none when they could not be read), at once. */
    private void publish(SilenceSnapshot next, Map<Integer, Long> read, List<TopicPartition> partitions,
                         Map<TopicPartition, Long> endsAtStart) {
        if (next.skipped() > snapshot.skipped()) {
            LOG.warn("skipped {} records on {} that are not silence revisions of their key ({} in all)",
                    next.skipped() - snapshot.skipped(), Topics.SILENCES.name(), next.skipped());
        }
        synchronized (progress) {
            snapshot = next;
            positions.putAll(read);
            if (!caughtUp && endsAtStart != null && !read.isEmpty() && partitions.stream()
                    .allMatch(partition -> read.get(partition.partition()) >= endsAtStart.get(partition))) {
                caughtUp = true;
                LOG.info("read {} silences from {}", next.byId().size(), Topics.SILENCES.name());
            }
            progress.notifyAll();
        }
    }

    /** The topic's partitions, waiting for Kafka (and the topic) while this reader runs. */
    private List<TopicPartition> partitions() {
        while (running.get()) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(Topics.SILENCES.name(), Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("cannot list the partitions of {} yet: {}", Topics.SILENCES.name(), e.getMessage());
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

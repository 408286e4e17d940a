package io.mcpslo.processor.sink;

import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one topic into one table of the {@link PipelineStore}. Offsets are committed only after the store
 * accepted the batch. While the store is unavailable the consumer pauses, keeps its group membership and
 * retries with backoff, so Kafka holds the data. Rows the store refuses as invalid are isolated by splitting
 * the batch until the refused record stands alone; it goes to the dead letters with the reason and its bytes,
 * and the rest of the batch is stored.
 */
public final class SinkLoop<T> implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);

    private final SinkTable<T> table;
    private final KafkaConsumer<String, byte[]> consumer;
    private final PipelineStore store;
    private final StorePreparation preparation;
    private final SinkSettings settings;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Instant> unavailableSince = new AtomicReference<>();
    private final Counter rowsWritten;
    private final Counter writeFailures;
    private final Counter deadLettered;
    private final Timer flushTime;

    private final List<ConsumerRecord<String, byte[]>> buffer = new ArrayList<>();
    private final Map<TopicPartition, Long> firstBufferedOffset = new HashMap<>();
    private long firstBufferedAtNanos;

    SinkLoop(SinkTable<T> table, String bootstrapServers, PipelineStore store, StorePreparation preparation,
             SinkSettings settings, MeterRegistry registry, Clock clock) {
        this.table = table;
        this.store = store;
        this.preparation = preparation;
        this.settings = settings;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, table.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(settings.maxBatchRecords(), 10_000),
                ConsumerConfig.CLIENT_ID_CONFIG, table.groupId()),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.rowsWritten = Counter.builder("mcp_sink_records_written").tag("table", table.name())
                .description("Records the store accepted (before per-window collapsing of rollups)").register(registry);
        this.writeFailures = Counter.builder("mcp_sink_write_failures").tag("table", table.name())
                .description("Batches the store could not take now; retried, Kafka keeps them").register(registry);
        this.deadLettered = Counter.builder("mcp_sink_dead_letters").tag("table", table.name())
                .description("Records the store refused as invalid or that could not be decoded; kept in the dead letters")
                .register(registry);
        this.flushTime = Timer.builder("mcp_sink_flush").tag("table", table.name())
                .description("Time to write one batch").register(registry);
        Gauge.builder("mcp_sink_store_available", () -> unavailableSince.get() == null ? 1 : 0)
                .tag("table", table.name())
                .description("1 while the store takes this table's rows, 0 while the sink waits for it")
                .register(registry);
    }

    public SinkTable<T> table() {
        return table;
    }

    /** When the store last stopped taking this table's rows, or null while it takes them. */
    public Instant unavailableSince() {
        return unavailableSince.get();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(table.topic().name()), new FlushOrDropOnRevoke());
            Duration backoff = Duration.ofMillis(250);
            while (running.get()) {
                bufferAll(consumer.poll(Duration.ofMillis(200)));
                if (buffer.isEmpty() || !flushDue()) {
                    continue;
                }
                if (flush()) {
                    backoff = Duration.ofMillis(250);
                    consumer.resume(consumer.paused());
                } else {
                    consumer.pause(consumer.assignment());
                    sleepPolling(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(settings.maxRetryBackoff()) > 0
                            ? settings.maxRetryBackoff() : backoff.multipliedBy(2);
                }
            }
            if (!buffer.isEmpty()) {
                flush();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                stopped.countDown();
            }
        }
    }

    private void bufferAll(Iterable<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (buffer.isEmpty()) {
                firstBufferedAtNanos = System.nanoTime();
            }
            buffer.add(record);
            firstBufferedOffset.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
    }

    private boolean flushDue() {
        return buffer.size() >= settings.maxBatchRecords()
                || System.nanoTime() - firstBufferedAtNanos >= settings.flushInterval().toNanos();
    }

    /** Writes the buffer and commits its offsets; false when the store could not take it now. */
    private boolean flush() {
        List<DeadLetter> deadLetters = new ArrayList<>();
        try {
            preparation.ensure();
            List<Decoded<T>> decoded = decode(buffer, deadLetters);
            int undecodable = deadLetters.size();
            flushTime.record(() -> writeIsolatingRefusals(decoded, deadLetters));
            if (!deadLetters.isEmpty()) {
                store.writeDeadLetters(deadLetters);
            }
            rowsWritten.increment(decoded.size() - (deadLetters.size() - undecodable));
        } catch (RuntimeException e) {
            writeFailures.increment();
            unavailableSince.compareAndSet(null, clock.instant());
            LOG.warn("store did not take {} records for {}, retrying (Kafka keeps them): {}", buffer.size(),
                    table.name(), e.getMessage());
            return false;
        }
        unavailableSince.set(null);
        deadLettered.increment(deadLetters.size());
        for (DeadLetter letter : deadLetters) {
            LOG.error("dead letter: {}-{}@{} refused for {}: {}", letter.topic(), letter.partition(), letter.offset(),
                    letter.table(), letter.reason());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : buffer) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        consumer.commitSync(offsets);
        buffer.clear();
        firstBufferedOffset.clear();
        return true;
    }

    private record Decoded<T>(ConsumerRecord<String, byte[]> record, T value) {
    }

    private List<Decoded<T>> decode(List<ConsumerRecord<String, byte[]>> records, List<DeadLetter> deadLetters) {
        List<Decoded<T>> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                decoded.add(new Decoded<>(record, table.decode(record.value())));
            } catch (RuntimeException e) {
                deadLetters.add(deadLetter(record, "undecodable: " + e.getMessage()));
            }
        }
        return decoded;
    }

    /**
     * Writes the rows; when the store refuses them as invalid, halves the batch and tries each half, down to
     * the single record, which becomes a dead letter. Unavailability is thrown on unchanged: it is not the
     * records' fault, and the whole buffer is retried later (rows written twice collapse in the store).
     */
    private void writeIsolatingRefusals(List<Decoded<T>> rows, List<DeadLetter> deadLetters) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            table.writeTo(store, rows.stream().map(Decoded::value).toList());
        } catch (PipelineStore.RowsRefused refused) {
            if (rows.size() == 1) {
                deadLetters.add(deadLetter(rows.get(0).record(), refused.getMessage()));
                return;
            }
            int half = rows.size() / 2;
            writeIsolatingRefusals(rows.subList(0, half), deadLetters);
            writeIsolatingRefusals(rows.subList(half, rows.size()), deadLetters);
        }
    }

    private DeadLetter deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        return new DeadLetter(record.topic(), record.partition(), record.offset(), table.name(),
                reason == null ? "(no reason given)" : reason, record.value(), clock.instant());
    }

    /**
     * Waits while still polling, so the paused consumer keeps its place in the group. A rebalance in the
     * meantime can hand this consumer new partitions, which are not paused: what they return is buffered, not
     * dropped, or it would be lost when later offsets are committed.
     */
    private void sleepPolling(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (running.get() && System.nanoTime() < until) {
            bufferAll(consumer.poll(Duration.ofMillis(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)))));
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            // the loop notices within one poll and flushes what it holds; wake it only if it is stuck
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                consumer.wakeup();
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Before partitions go, what is buffered is written if the store takes it; otherwise it is dropped and
     * re-read from the committed offsets, by this consumer for partitions it keeps, by their new owner for the rest.
     */
    private final class FlushOrDropOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!buffer.isEmpty() && !flush()) {
                for (var entry : firstBufferedOffset.entrySet()) {
                    if (!partitions.contains(entry.getKey()) && consumer.assignment().contains(entry.getKey())) {
                        consumer.seek(entry.getKey(), entry.getValue());
                    }
                }
                buffer.clear();
                firstBufferedOffset.clear();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}

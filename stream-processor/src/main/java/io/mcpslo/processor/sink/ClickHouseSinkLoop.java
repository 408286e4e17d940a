package io.mcpslo.processor.sink;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Moves calls, audit events, rollups, alert transitions, SLO statuses and delivery attempts from their topics into the {@link PipelineStore}. Offsets are
 * committed only after the store accepted the batch; while the store is down the consumer pauses, keeps
 * its group membership and retries with backoff, so Kafka holds the data until the store is back.
 */
public final class ClickHouseSinkLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkLoop.class);
    public static final String GROUP_ID = "mcp-slo-clickhouse-sink";

    private final KafkaConsumer<String, byte[]> consumer;
    private final PipelineStore store;
    private final SinkSettings settings;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Counter rowsWritten;
    private final Counter writeFailures;
    private final Counter undecodable;
    private final Timer flushTime;

    private final List<ConsumerRecord<String, byte[]>> buffer = new ArrayList<>();
    private final Map<TopicPartition, Long> firstBufferedOffset = new HashMap<>();
    private long firstBufferedAtNanos;
    private boolean prepared;

    public ClickHouseSinkLoop(String bootstrapServers, PipelineStore store, SinkSettings settings,
                              MeterRegistry registry) {
        this.store = store;
        this.settings = settings;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(settings.maxBatchRecords(), 10_000),
                ConsumerConfig.CLIENT_ID_CONFIG, "mcp-slo-clickhouse-sink"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.rowsWritten = Counter.builder("mcp_sink_records_written")
                .description("Records the store accepted (before per-window collapsing of rollups)").register(registry);
        this.writeFailures = Counter.builder("mcp_sink_write_failures")
                .description("Batches the store refused or could not be reached for; retried").register(registry);
        this.undecodable = Counter.builder("mcp_sink_undecodable_records")
                .description("Records on internal topics that could not be decoded; skipped and logged").register(registry);
        this.flushTime = Timer.builder("mcp_sink_flush").description("Time to write one batch").register(registry);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.CALLS.name(), Topics.AUDIT.name(), Topics.ROLLUPS.name(),
                            Topics.ALERTS.name(), Topics.SLO_STATUS.name(), Topics.DELIVERIES.name(),
                            Topics.AUDIT_CHAINED.name(), Topics.AUDIT_DIGESTS.name()),
                    new DropBufferOnRevoke());
            Duration backoff = Duration.ofMillis(250);
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (buffer.isEmpty()) {
                        firstBufferedAtNanos = System.nanoTime();
                    }
                    buffer.add(record);
                    firstBufferedOffset.putIfAbsent(new TopicPartition(record.topic(), record.partition()),
                            record.offset());
                }
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
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private boolean flushDue() {
        return buffer.size() >= settings.maxBatchRecords()
                || System.nanoTime() - firstBufferedAtNanos >= settings.flushInterval().toNanos();
    }

    /** Writes the buffer and commits its offsets; false when the store did not accept it. */
    private boolean flush() {
        try {
            if (!prepared) {
                store.prepare();
                prepared = true;
            }
            PipelineStore.Batch batch = decode(buffer);
            flushTime.record(() -> store.write(batch));
            rowsWritten.increment(batch.size());
        } catch (RuntimeException e) {
            writeFailures.increment();
            LOG.warn("store did not accept {} records, retrying (Kafka keeps them): {}", buffer.size(), e.getMessage());
            return false;
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

    private PipelineStore.Batch decode(List<ConsumerRecord<String, byte[]>> records) {
        List<CallEvent> calls = new ArrayList<>();
        List<AuditEvent> audits = new ArrayList<>();
        List<CallRollup> rollups = new ArrayList<>();
        List<AlertTransition> alerts = new ArrayList<>();
        List<SloStatus> statuses = new ArrayList<>();
        List<DeliveryAttempt> deliveries = new ArrayList<>();
        List<ChainedAudit> chainedAudits = new ArrayList<>();
        List<AuditDigest> digests = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                String topic = record.topic();
                if (topic.equals(Topics.CALLS.name())) {
                    calls.add(Topics.CALLS.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.AUDIT.name())) {
                    audits.add(Topics.AUDIT.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.ROLLUPS.name())) {
                    rollups.add(Topics.ROLLUPS.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.ALERTS.name())) {
                    alerts.add(Topics.ALERTS.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.SLO_STATUS.name())) {
                    statuses.add(Topics.SLO_STATUS.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.AUDIT_CHAINED.name())) {
                    chainedAudits.add(Topics.AUDIT_CHAINED.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.AUDIT_DIGESTS.name())) {
                    digests.add(Topics.AUDIT_DIGESTS.valueSerde().deserializer().deserialize(topic, record.value()));
                } else {
                    deliveries.add(Topics.DELIVERIES.valueSerde().deserializer().deserialize(topic, record.value()));
                }
            } catch (RuntimeException e) {
                undecodable.increment();
                LOG.error("skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        return new PipelineStore.Batch(calls, audits, rollups, alerts, statuses, deliveries, chainedAudits, digests);
    }

    /** Waits while still polling, so the paused consumer keeps its place in the group. */
    private void sleepPolling(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (running.get() && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000))));
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            // the loop notices within one poll and flushes what it holds; wake it only if it is stuck
            if (!stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                consumer.wakeup();
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On a rebalance, unflushed records are dropped and re-read from the committed offsets. */
    private final class DropBufferOnRevoke implements ConsumerRebalanceListener {
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

package io.mcpslo.processor.notify;

import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Which receiver was paged for which incident, read from the deliveries topic (every try of every delivery loop) on
 * its own thread, from the beginning and without a consumer group: what a PagerDuty receiver's acknowledgements
 * loop asks before it passes an acknowledgement on. Kept as long as the deliveries topic keeps the tries.
 */
public final class PagedIncidents implements AutoCloseable {

    /** Where a receiver stands with one incident's page. */
    public enum Page {
        /** Never tried (the receiver does not take this alert, or its trigger is not due yet). */
        NONE,
        /** Tried and failed so far; the delivery loop is still at it. */
        TRYING,
        /** The receiver took the trigger. */
        PAGED,
        /** The receiver refused the trigger for good; the delivery loop moved on. */
        REFUSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(PagedIncidents.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object progress = new Object();
    private long readToEndAsOfNanos = Long.MIN_VALUE; // guarded by progress

    public PagedIncidents(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "mcp-slo-paged-incidents-" + java.util.UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "paged-incidents");
        this.thread.setDaemon(true);
    }

    public PagedIncidents start() {
        thread.start();
        return this;
    }

    /** How a page of one incident stands after one more try of it; a resolve or a silenced try changes nothing. */
    static Page after(Page before, DeliveryAttempt attempt) {
        if (attempt.status() != AlertStatus.FIRING || before == Page.PAGED) {
            return before;
        }
        return switch (attempt.result()) {
            case DELIVERED -> Page.PAGED;
            case FAILED -> retryable(attempt.httpStatus()) ? Page.TRYING : Page.REFUSED;
            case SILENCED -> before;
        };
    }

    /** As the delivery loop decides: no answer, 408, 429 and 5xx are tried again. */
    private static boolean retryable(int httpStatus) {
        return httpStatus == 0 || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
    }

    /**
     * Where {@code receiver} stands with the page of {@code dedupKey}, once every try published before this call
     * was read; throws {@link IllegalStateException} when the topic could not be read that far within {@code timeout}.
     */
    public Page page(String receiver, String dedupKey, Duration timeout) throws InterruptedException {
        long asked = System.nanoTime();
        long deadline = asked + timeout.toNanos();
        synchronized (progress) {
            while (readToEndAsOfNanos < asked) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running.get()) {
                    throw new IllegalStateException("the deliveries topic " + Topics.DELIVERIES.name()
                            + " is not read up to now");
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
        }
        return pages.getOrDefault(key(receiver, dedupKey), Page.NONE);
    }

    private static String key(String receiver, String dedupKey) {
        return receiver + "\n" + dedupKey;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var deserializer = Topics.DELIVERIES.valueSerde().deserializer();
            while (running.get()) {
                try {
                    long endsFetchedAt = System.nanoTime();
                    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            DeliveryAttempt attempt = deserializer.deserialize(record.topic(), record.value());
                            if (attempt != null) {
                                pages.compute(key(attempt.receiver(), attempt.dedupKey()),
                                        (key, before) -> after(before == null ? Page.NONE : before, attempt));
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("skipping a record of {} that is not a delivery attempt: {}",
                                    Topics.DELIVERIES.name(), e.getMessage());
                        }
                    }
                    boolean atEnd = true;
                    for (TopicPartition partition : partitions) {
                        atEnd &= consumer.position(partition, Duration.ofSeconds(10)) >= ends.get(partition);
                    }
                    if (atEnd) {
                        synchronized (progress) {
                            readToEndAsOfNanos = endsFetchedAt;
                            progress.notifyAll();
                        }
                    }
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    LOG.warn("cannot read {} now ({}); acknowledgements wait", Topics.DELIVERIES.name(), e.getMessage());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the paged-incidents reader stopped; acknowledgements are not passed on until a restart", e);
        } finally {
            running.set(false);
            synchronized (progress) {
                progress.notifyAll();
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> partitions() {
        while (running.get()) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(Topics.DELIVERIES.name(), Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("cannot list the partitions of {} yet: {}", Topics.DELIVERIES.name(), e.getMessage());
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

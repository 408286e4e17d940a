package io.mcpslo.processor.notify;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.kafka.AckMessages;
import io.mcpslo.kafka.Topics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes acknowledgements from the acknowledgements topic to one PagerDuty receiver as Events v2 {@code acknowledge}
 * events, for the incidents that receiver was paged for ({@link PagedIncidents}). Like {@link DeliveryLoop} it is
 * its own consumer group ({@code mcp-slo-notify-acks-<receiver>}) and moves its offset only once an
 * acknowledgement was taken, refused for good or found not to concern the receiver: a receiver down when someone
 * acknowledges gets the acknowledgement once it is back, and once. An acknowledgement of a page still being
 * retried waits for that page. Records that are not an acknowledgement of their key are skipped and counted.
 * Every try is logged; the deliveries topic holds alert transitions only, so these tries are not published there.
 */
public final class AckDeliveryLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AckDeliveryLoop.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private final ReceiverConfig receiver;
    private final KafkaConsumer<String, byte[]> consumer;
    private final PagedIncidents paged;
    private final NotifySettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedTries = new AtomicLong();
    private boolean assignmentChanged;

    public AckDeliveryLoop(ReceiverConfig receiver, String bootstrapServers, PagedIncidents paged,
                           NotifySettings settings, Clock clock) {
        if (receiver.type() != ReceiverType.PAGERDUTY) {
            throw new IllegalArgumentException("only PagerDuty receivers take acknowledgements, not " + receiver.type());
        }
        this.receiver = receiver;
        this.paged = paged;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId(receiver),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    public static String groupId(ReceiverConfig receiver) {
        return "mcp-slo-notify-acks-" + receiver.name();
    }

    /** Records of the topic that were not an acknowledgement of their key, skipped since this loop started. */
    public long skipped() {
        return skipped.get();
    }

    /** Tries to pass an acknowledgement on that the receiver did not take, since this loop started. */
    public long failedTries() {
        return failedTries.get();
    }

    /** Acknowledgements the receiver took since this loop started. */
    public long delivered() {
        return delivered.get();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.ACKS.name()), new NoteAssignmentChanges());
            while (running.get()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    return;
                }
                assignmentChanged = false;
                Map<TopicPartition, Long> nextUnsettled = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    nextUnsettled.put(partition, records.records(partition).get(0).offset());
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (assignmentChanged) {
                        nextUnsettled.forEach((partition, offset) -> {
                            if (consumer.assignment().contains(partition)) {
                                consumer.seek(partition, offset);
                            }
                        });
                        break;
                    }
                    if (!settle(record)) {
                        return; // shutting down mid-retry: the acknowledgement stays uncommitted and is sent after restart
                    }
                    commit(record);
                    nextUnsettled.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void commit(ConsumerRecord<String, byte[]> record) {
        Map<TopicPartition, OffsetAndMetadata> offset = Map.of(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
        try {
            consumer.commitSync(offset);
        } catch (WakeupException e) {
            consumer.commitSync(offset);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition moved on meanwhile: its new owner sends this acknowledgement again (PagerDuty folds it)
            LOG.warn("receiver {}: could not commit past the acknowledgement of {} after a rebalance: {}",
                    receiver.name(), record.key(), e.getMessage());
        }
    }

    /** Settles one record: passed on, refused for good or not for this receiver (true), or aborted by shutdown. */
    private boolean settle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return true; // a tombstone: nothing to pass on
        }
        Acknowledgement ack;
        try {
            ack = AckMessages.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            long all = skipped.incrementAndGet();
            LOG.warn("receiver {}: skipping {}-{}@{}, not an acknowledgement of its key ({}); {} skipped in all",
                    receiver.name(), record.topic(), record.partition(), record.offset(), e.getMessage(), all);
            return true;
        }
        if (ack.at().isBefore(clock.instant().minus(settings.maxAge()))) {
            LOG.warn("receiver {}: not passing on the acknowledgement of {} from {}, older than NOTIFY_MAX_AGE {}",
                    receiver.name(), ack.dedupKey(), ack.at(), settings.maxAge());
            return true;
        }
        consumer.pause(consumer.assignment());
        try {
            Duration backoff = FIRST_BACKOFF;
            for (int attempt = 1; running.get(); attempt++) {
                if (tryOnce(ack, attempt)) {
                    return true;
                }
                try {
                    waitPolling(backoff);
                } catch (WakeupException e) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.maxRetryBackoff()) > 0
                        ? settings.maxRetryBackoff() : backoff.multipliedBy(2);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    /** One try: true when the acknowledgement is settled, false to try again after a pause. */
    private boolean tryOnce(Acknowledgement ack, int attempt) throws InterruptedException {
        PagedIncidents.Page page;
        try {
            page = paged.page(receiver.name(), ack.dedupKey(), settings.requestTimeout());
        } catch (IllegalStateException e) {
            LOG.warn("receiver {}: cannot tell yet whether {} was paged ({}); waiting", receiver.name(),
                    ack.dedupKey(), e.getMessage());
            return false;
        }
        switch (page) {
            case NONE, REFUSED -> {
                LOG.debug("receiver {}: {} was not paged here ({}); its acknowledgement is not for this receiver",
                        receiver.name(), ack.dedupKey(), page);
                return true;
            }
            case TRYING -> {
                if (attempt == 1) {
                    LOG.info("receiver {}: the acknowledgement of {} waits for its page, still being retried",
                            receiver.name(), ack.dedupKey());
                }
                return false;
            }
            case PAGED -> {
                // passed on below
            }
        }
        byte[] body = PagerDutyEventV1.acknowledge(receiver.routingKey(), ack).bytes();
        ReceiverPost.Outcome outcome = ReceiverPost.send(http, receiver, settings.requestTimeout(), body,
                ack.dedupKey() + "/acknowledge/" + ack.at().toEpochMilli());
        if (outcome.delivered()) {
            delivered.incrementAndGet();
            LOG.info("receiver {}: {} acknowledged by {} passed on (attempt {})", receiver.name(), ack.dedupKey(),
                    ack.by(), attempt);
            return true;
        }
        failedTries.incrementAndGet();
        LOG.warn("receiver {} ({}): attempt {} to pass on the acknowledgement of {} failed: HTTP {} {}",
                receiver.name(), receiver.safeUrl(), attempt, ack.dedupKey(), outcome.status(), outcome.error());
        if (outcome.permanent()) {
            LOG.error("receiver {} refused the acknowledgement of {} for good (HTTP {}); moving on", receiver.name(),
                    ack.dedupKey(), outcome.status());
            return true;
        }
        return false;
    }

    /** Polls while paused, so the group keeps this loop; what newly assigned partitions return is put back. */
    private void waitPolling(Duration backoff) {
        ConsumerRecords<String, byte[]> arrived = consumer.poll(backoff);
        for (TopicPartition partition : arrived.partitions()) {
            consumer.seek(partition, arrived.records(partition).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    private final class NoteAssignmentChanges implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assignmentChanged = true;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignmentChanged = true;
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}

package io.mcpslo.processor.notify;

import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.kafka.Topics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert transitions to one receiver, in order, each until the receiver takes it. The loop is its own
 * consumer group ({@code mcp-slo-notify-<receiver>}), so a receiver that is down holds back only its own queue,
 * and the offset moves only after a transition was delivered, silenced or refused for good: a receiver down
 * for minutes gets each page when it comes back, and once. A crash between a delivery and its commit sends that
 * one transition again; PagerDuty and Alertmanager fold it by its dedup key. Every try is logged and published.
 */
public final class DeliveryLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private final ReceiverConfig receiver;
    private final KafkaConsumer<String, AlertTransition> consumer;
    private final Producer<String, DeliveryAttempt> attempts;
    private final SilenceSource silenceSource;
    private final NotifySettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private boolean assignmentChanged;
    private List<Silence> silences = List.of();

    public DeliveryLoop(ReceiverConfig receiver, String bootstrapServers, Producer<String, DeliveryAttempt> attempts,
                        SilenceSource silenceSource, NotifySettings settings, Clock clock) {
        this.receiver = receiver;
        this.attempts = attempts;
        this.silenceSource = silenceSource;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId(receiver),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100));
        this.consumer = new KafkaConsumer<>(props, Topics.ALERTS.keySerde().deserializer(),
                Topics.ALERTS.valueSerde().deserializer());
    }

    public static String groupId(ReceiverConfig receiver) {
        return "mcp-slo-notify-" + receiver.name();
    }

    public ReceiverConfig receiver() {
        return receiver;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.ALERTS.name()), new NoteAssignmentChanges());
            while (running.get()) {
                ConsumerRecords<String, AlertTransition> records;
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
                for (ConsumerRecord<String, AlertTransition> record : records) {
                    if (assignmentChanged) {
                        // the rest of this batch is read again from where it stands, by this loop or the new owner
                        nextUnsettled.forEach((partition, offset) -> {
                            if (consumer.assignment().contains(partition)) {
                                consumer.seek(partition, offset);
                            }
                        });
                        break;
                    }
                    boolean settled = record.value() == null || handle(record.value());
                    if (!settled) {
                        return; // shutting down mid-retry: the transition stays uncommitted and is sent after restart
                    }
                    commit(record);
                    nextUnsettled.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Commits past a settled record, even when shutdown was requested meanwhile (a wakeup is one-shot). */
    private void commit(ConsumerRecord<String, AlertTransition> record) {
        Map<TopicPartition, OffsetAndMetadata> offset = Map.of(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
        try {
            consumer.commitSync(offset);
        } catch (WakeupException e) {
            consumer.commitSync(offset);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition moved on meanwhile: its new owner sends this transition again (same dedup key)
            LOG.warn("receiver {}: could not commit past {} after a rebalance: {}", receiver.name(),
                    record.value() == null ? record.key() : record.value().dedupKey(), e.getMessage());
        }
    }

    /** Settles one transition: delivered, silenced, skipped or refused for good (true), or aborted by shutdown. */
    private boolean handle(AlertTransition transition) {
        if (!transition.notifies() || !receiver.takes(transition)) {
            return true;
        }
        Instant now = clock.instant();
        if (transition.at().isBefore(now.minus(settings.maxAge()))) {
            LOG.warn("receiver {}: not sending {} {} from {}, older than NOTIFY_MAX_AGE {}", receiver.name(),
                    transition.dedupKey(), transition.to(), transition.at(), settings.maxAge());
            return true;
        }
        if (silenced(transition, now)) {
            record(transition, 1, DeliveryAttempt.Result.SILENCED, 0, "");
            return true;
        }
        consumer.pause(consumer.assignment());
        try {
            Duration backoff = FIRST_BACKOFF;
            for (int attempt = 1; running.get(); attempt++) {
                ReceiverPost.Outcome outcome = send(transition);
                if (outcome.delivered()) {
                    record(transition, attempt, DeliveryAttempt.Result.DELIVERED, outcome.status(), "");
                    return true;
                }
                record(transition, attempt, DeliveryAttempt.Result.FAILED, outcome.status(), outcome.error());
                if (outcome.permanent()) {
                    LOG.error("receiver {} refused {} for good (HTTP {}): {}; moving on", receiver.name(),
                            transition.dedupKey(), outcome.status(), outcome.error());
                    return true;
                }
                // poll while paused keeps the group membership alive during a long outage of the receiver
                try {
                    waitPolling(backoff);
                } catch (WakeupException e) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.maxRetryBackoff()) > 0
                        ? settings.maxRetryBackoff() : backoff.multipliedBy(2);
                if (silenced(transition, clock.instant())) {
                    record(transition, attempt + 1, DeliveryAttempt.Result.SILENCED, 0, "");
                    return true;
                }
            }
            return false;
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Polls while paused, so the group keeps this loop during a long receiver outage. A rebalance meanwhile can
     * hand it partitions that are not paused; what they return is put back (seek to its first offset), or it
     * would be skipped by the next commit: a page lost.
     */
    private void waitPolling(Duration backoff) {
        ConsumerRecords<String, AlertTransition> arrived = consumer.poll(backoff);
        for (TopicPartition partition : arrived.partitions()) {
            consumer.seek(partition, arrived.records(partition).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    /** Notes that partitions moved, so the batch in hand is not worked on past the move. */
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

    private ReceiverPost.Outcome send(AlertTransition transition) {
        byte[] body = AlertPayloads.body(receiver, transition, settings.sloLink(transition.sloId())).bytes();
        try {
            return ReceiverPost.send(http, receiver, settings.requestTimeout(), body,
                    transition.dedupKey() + "/" + transition.to());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return new ReceiverPost.Outcome(false, false, 0, "interrupted");
        }
    }

    private boolean silenced(AlertTransition transition, Instant now) {
        try {
            silences = silenceSource.active(now);
        } catch (RuntimeException e) {
            LOG.warn("receiver {}: cannot read silences ({}); using the {} last read", receiver.name(),
                    e.getMessage(), silences.size());
        }
        return silences.stream().anyMatch(silence -> silence.silences(transition, now));
    }

    private void record(AlertTransition transition, int attempt, DeliveryAttempt.Result result, int status,
                        String error) {
        var deliveryAttempt = new DeliveryAttempt(transition.dedupKey(), transition.sloId(), receiver.name(),
                receiver.type(), transition.to(), attempt, clock.instant(), result, status, error);
        if (result == DeliveryAttempt.Result.FAILED) {
            LOG.warn("receiver {} ({}): attempt {} for {} {} failed: HTTP {} {}", receiver.name(), receiver.safeUrl(),
                    attempt, transition.dedupKey(), transition.to(), status, error);
        } else {
            LOG.info("receiver {}: {} {} {} (attempt {})", receiver.name(), transition.dedupKey(), transition.to(),
                    result, attempt);
        }
        attempts.send(new ProducerRecord<>(Topics.DELIVERIES.name(), transition.dedupKey(), deliveryAttempt));
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}

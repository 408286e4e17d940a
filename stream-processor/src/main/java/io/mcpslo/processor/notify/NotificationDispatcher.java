package io.mcpslo.processor.notify;

import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.kafka.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link DeliveryLoop} running per configured receiver, and for a PagerDuty receiver an
 * {@link AckDeliveryLoop} too, following reloads of the receiver files. Other receiver types take no
 * acknowledgements.
 */
public final class NotificationDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final String bootstrapServers;
    private final Supplier<List<ReceiverConfig>> receivers;
    private final SilenceSource silences;
    private final NotifySettings settings;
    private final Clock clock;
    private final KafkaProducer<String, DeliveryAttempt> attempts;
    private final Map<String, Running> running = new HashMap<>();

    private PagedIncidents paged; // read once a PagerDuty receiver is configured

    /** A receiver's loops: its transitions, and for PagerDuty its acknowledgements (null otherwise). */
    private record Running(DeliveryLoop loop, Thread thread, AckDeliveryLoop ackLoop, Thread ackThread) {
    }

    public NotificationDispatcher(String bootstrapServers, Supplier<List<ReceiverConfig>> receivers,
                                  SilenceSource silences, NotifySettings settings, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.receivers = receivers;
        this.silences = silences;
        this.settings = settings;
        this.clock = clock;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.attempts = new KafkaProducer<>(props, Topics.DELIVERIES.keySerde().serializer(),
                Topics.DELIVERIES.valueSerde().serializer());
    }

    /** Starts loops for new or changed receivers and stops those that are gone. */
    public synchronized void sync() {
        Map<String, ReceiverConfig> wanted = new HashMap<>();
        receivers.get().forEach(receiver -> wanted.put(receiver.name(), receiver));
        running.entrySet().removeIf(entry -> {
            ReceiverConfig now = wanted.get(entry.getKey());
            if (now != null && now.equals(entry.getValue().loop().receiver())) {
                return false;
            }
            stop(entry.getValue());
            return true;
        });
        for (ReceiverConfig receiver : wanted.values()) {
            if (!running.containsKey(receiver.name())) {
                var loop = new DeliveryLoop(receiver, bootstrapServers, attempts, silences, settings, clock);
                var thread = new Thread(loop, "notify-" + receiver.name());
                thread.setDaemon(true);
                thread.start();
                AckDeliveryLoop ackLoop = null;
                Thread ackThread = null;
                if (receiver.type() == ReceiverType.PAGERDUTY) {
                    if (paged == null) {
                        paged = new PagedIncidents(bootstrapServers).start();
                    }
                    ackLoop = new AckDeliveryLoop(receiver, bootstrapServers, paged, settings, clock);
                    ackThread = new Thread(ackLoop, "notify-acks-" + receiver.name());
                    ackThread.setDaemon(true);
                    ackThread.start();
                }
                running.put(receiver.name(), new Running(loop, thread, ackLoop, ackThread));
                LOG.info("notifying receiver {} ({} at {})", receiver.name(), receiver.type(), receiver.safeUrl());
            }
        }
    }

    /** Acknowledgement records skipped by the PagerDuty loops running now (not an acknowledgement of their key). */
    public synchronized long skippedAckRecords() {
        return running.values().stream().filter(loops -> loops.ackLoop() != null)
                .mapToLong(loops -> loops.ackLoop().skipped()).sum();
    }

    private static void stop(Running running) {
        running.loop().close();
        if (running.ackLoop() != null) {
            running.ackLoop().close();
        }
        try {
            running.thread().join(Duration.ofSeconds(10).toMillis());
            if (running.ackThread() != null) {
                running.ackThread().join(Duration.ofSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(NotificationDispatcher::stop);
        running.clear();
        if (paged != null) {
            paged.close();
        }
        attempts.close(Duration.ofSeconds(5));
    }
}

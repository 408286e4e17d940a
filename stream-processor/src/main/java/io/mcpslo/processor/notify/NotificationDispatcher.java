package io.mcpslo.processor.notify;

import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
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

/** Keeps one {@link DeliveryLoop} running per configured receiver, following reloads of the receiver files. */
public final class NotificationDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final String bootstrapServers;
    private final Supplier<List<ReceiverConfig>> receivers;
    private final SilenceSource silences;
    private final NotifySettings settings;
    private final Clock clock;
    private final KafkaProducer<String, DeliveryAttempt> attempts;
    private final Map<String, Running> running = new HashMap<>();

    private record Running(DeliveryLoop loop, Thread thread) {
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
                running.put(receiver.name(), new Running(loop, thread));
                LOG.info("notifying receiver {} ({} at {})", receiver.name(), receiver.type(), receiver.safeUrl());
            }
        }
    }

    private static void stop(Running running) {
        running.loop().close();
        try {
            running.thread().join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(NotificationDispatcher::stop);
        running.clear();
        attempts.close(Duration.ofSeconds(5));
    }
}

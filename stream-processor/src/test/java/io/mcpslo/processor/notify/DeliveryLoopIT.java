package io.mcpslo.processor.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.kafka.Topics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery to real HTTP receivers on loopback through the real broker. */
class DeliveryLoopIT {

    private static final NotifySettings FAST = new NotifySettings(Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofHours(1), "http://127.0.0.1:8080");
    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<String, DeliveryAttempt> attempts;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        TopicAdmin.ensureTopics(KafkaSettings.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers()))), Duration.ofSeconds(30));
        attempts = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.DELIVERIES.valueSerde().serializer());
    }

    @AfterAll
    static void stop() {
        attempts.close();
        broker.close();
    }

    private static AlertTransition transition(String sloId, String dedupKey, AlertStatus from, AlertStatus to) {
        Instant now = Instant.now();
        return new AlertTransition(sloId, "devtools", AlertKind.PAGE, Severity.PAGE, from, to, now, now, dedupKey,
                sloId + " is burning its error budget fast", Map.of("1h", 20.0, "5m", 30.0), 0.4, "page-1h-5m");
    }

    private static void publish(AlertTransition... transitions) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
            for (AlertTransition t : transitions) {
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(), t.dedupKey(), t));
            }
        }
    }

    /** What the receiver was sent for one incident (every loop here reads the whole alerts topic). */
    private static List<JsonNode> bodiesFor(RecordingReceiver receiver, String dedupKey) {
        return receiver.bodies().stream().filter(body -> dedupKey.equals(body.path("dedup_key").asText())).toList();
    }

    private static List<String> sentKeys(RecordingReceiver receiver) {
        return receiver.bodies().stream().map(body -> body.get("groupKey").asText()).toList();
    }

    private static ReceiverConfig receiver(String name, ReceiverType type, String url) {
        return new ReceiverConfig(name, type, URI.create(url), type == ReceiverType.PAGERDUTY ? "routing-123" : null,
                Set.of(), Set.of());
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Attempts recorded for one receiver, read from the deliveries topic. */
    private static List<DeliveryAttempt> attemptsOf(String receiverName) {
        List<DeliveryAttempt> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "group.id", "it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
                Topics.DELIVERIES.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.DELIVERIES.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().receiver().equals(receiverName)) {
                        found.add(record.value());
                    }
                }
                if (!found.isEmpty() && consumer.assignment().stream()
                        .allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
                    break;
                }
            }
        }
        return found;
    }

    @Test
    void aReceiverDownForAWhileGetsExactlyOneTriggerAndOneResolveWhenItComesBack() throws Exception {
        String dedupKey = "mcp-slo:github-transport:page:" + UUID.randomUUID();
        try (RecordingReceiver pagerDuty = RecordingReceiver.down();
             var loop = new DeliveryLoop(receiver("pd-down", ReceiverType.PAGERDUTY, pagerDuty.url()),
                     broker.bootstrapServers(), attempts, now -> List.of(), FAST, Clock.systemUTC())) {
            Thread thread = new Thread(loop, "notify-test");
            thread.start();
            publish(transition("github-transport", dedupKey, AlertStatus.INACTIVE, AlertStatus.FIRING),
                    transition("github-transport", dedupKey, AlertStatus.FIRING, AlertStatus.RESOLVED));
            Thread.sleep(3_000); // several tries fail while nobody listens
            pagerDuty.start();
            await("two deliveries", Duration.ofSeconds(30), () -> bodiesFor(pagerDuty, dedupKey).size() >= 2);
            Thread.sleep(1_500); // nothing more may come
            List<JsonNode> bodies = bodiesFor(pagerDuty, dedupKey);
            assertEquals(2, bodies.size(), bodies.toString());
            assertEquals("trigger", bodies.get(0).get("event_action").asText());
            assertEquals("resolve", bodies.get(1).get("event_action").asText());
            assertEquals(dedupKey, bodies.get(0).get("dedup_key").asText());
            assertEquals(dedupKey, bodies.get(1).get("dedup_key").asText());
            assertEquals("routing-123", bodies.get(0).get("routing_key").asText());
            assertEquals("critical", bodies.get(0).get("payload").get("severity").asText());
            loop.close();
            thread.join(10_000);
        }
        // the loop reads the whole alerts topic: while the receiver was down it may have been trying other tests'
        // transitions first, so failed tries are counted for the receiver, deliveries for this incident
        List<DeliveryAttempt> logged = attemptsOf("pd-down");
        assertTrue(logged.stream().filter(a -> a.result() == DeliveryAttempt.Result.FAILED).count() >= 2,
                "every failed try is logged: " + logged);
        assertEquals(2, logged.stream().filter(a -> a.dedupKey().equals(dedupKey))
                .filter(a -> a.result() == DeliveryAttempt.Result.DELIVERED).count(), logged.toString());
    }

    /**
     * The fault-matrix row: the receiver answers 503 for five minutes (override with
     * {@code -Dfaults.receiverOutage=PT20S} while working on it) while a page and its resolve are both due, longer
     * than the consumer's poll interval limit; with the processor's default retry settings the page goes out once
     * and the resolve once, in order, when the receiver is back.
     */
    @Test
    void aReceiverAnswering503ForFiveMinutesGetsThePageAndItsResolveOnceEachWhenItIsBack() throws Exception {
        Duration outage = Duration.parse(System.getProperty("faults.receiverOutage", "PT5M"));
        NotifySettings defaults = io.mcpslo.processor.ProcessorConfig.from(new Settings(Map.of())).notifications();
        String dedupKey = "mcp-slo:github-transport:page:" + UUID.randomUUID();
        try (RecordingReceiver pagerDuty = RecordingReceiver.up();
             var loop = new DeliveryLoop(receiver("pd-503", ReceiverType.PAGERDUTY, pagerDuty.url()),
                     broker.bootstrapServers(), attempts, now -> List.of(), defaults, Clock.systemUTC())) {
            pagerDuty.answer(503);
            Thread thread = new Thread(loop, "notify-503");
            thread.start();
            publish(transition("github-transport", dedupKey, AlertStatus.INACTIVE, AlertStatus.FIRING),
                    transition("github-transport", dedupKey, AlertStatus.FIRING, AlertStatus.RESOLVED));
            Thread.sleep(outage.toMillis());
            int triedDuringOutage = bodiesFor(pagerDuty, dedupKey).size();
            pagerDuty.answer(202);
            await("the page and its resolve", Duration.ofSeconds(90),
                    () -> bodiesFor(pagerDuty, dedupKey).size() >= triedDuringOutage + 2);
            Thread.sleep(3_000); // nothing more may come
            List<JsonNode> all = bodiesFor(pagerDuty, dedupKey);
            List<JsonNode> after = all.subList(triedDuringOutage, all.size());
            assertEquals(List.of("trigger", "resolve"), after.stream().map(body -> body.get("event_action").asText())
                    .toList(), "once each, in order, after the outage: " + after);
            assertTrue(triedDuringOutage >= 2, "the page was tried during the outage: " + triedDuringOutage);
            assertTrue(all.subList(0, triedDuringOutage).stream()
                    .allMatch(body -> body.get("event_action").asText().equals("trigger")),
                    "the resolve waited behind its page");
            loop.close();
            thread.join(10_000);
        }
        List<DeliveryAttempt> logged = attemptsOf("pd-503").stream().filter(a -> a.dedupKey().equals(dedupKey)).toList();
        assertEquals(2, logged.stream().filter(a -> a.result() == DeliveryAttempt.Result.DELIVERED).count(),
                logged.toString());
        assertTrue(logged.stream().filter(a -> a.result() == DeliveryAttempt.Result.FAILED)
                .allMatch(a -> a.httpStatus() == 503), logged.toString());
    }

    @Test
    void silencedAlertsAreNotSentAndAPermanentRefusalDoesNotBlockTheQueue() throws Exception {
        String silencedKey = "mcp-slo:quiet:page:" + UUID.randomUUID();
        String refusedKey = "mcp-slo:refused:page:" + UUID.randomUUID();
        String laterKey = "mcp-slo:later:page:" + UUID.randomUUID();
        Silence silence = new Silence("s1", Map.of("slo", "quiet"), Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600), "alice", "maintenance");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RecordingReceiver alertmanager = RecordingReceiver.up();
             var loop = new DeliveryLoop(receiver("am", ReceiverType.ALERTMANAGER, alertmanager.url()),
                     broker.bootstrapServers(), attempts, now -> List.of(silence), FAST, Clock.systemUTC())) {
            alertmanager.answer(400);
            Thread thread = new Thread(loop, "notify-test-2");
            thread.start();
            publish(transition("quiet", silencedKey, AlertStatus.INACTIVE, AlertStatus.FIRING),
                    transition("refused", refusedKey, AlertStatus.INACTIVE, AlertStatus.FIRING));
            // the topic also holds other tests' alerts, which this new receiver group reads from the start
            Set<String> ours = Set.of(silencedKey, refusedKey, laterKey);
            await("the refused alert", Duration.ofSeconds(30), () -> sentKeys(alertmanager).contains(refusedKey));
            alertmanager.answer(200);
            publish(transition("later", laterKey, AlertStatus.INACTIVE, AlertStatus.FIRING));
            await("the later alert", Duration.ofSeconds(30), () -> sentKeys(alertmanager).contains(laterKey));
            sentKeys(alertmanager).stream().filter(ours::contains).forEach(seen::add);
            assertEquals(List.of(refusedKey, laterKey), seen, "the silenced alert never went out; 400 is not retried");
            JsonNode alert = alertmanager.bodies().stream()
                    .filter(body -> body.get("groupKey").asText().equals(laterKey)).findFirst().orElseThrow()
                    .get("alerts").get(0);
            assertEquals("firing", alert.get("status").asText());
            assertEquals("later", alert.get("labels").get("slo").asText());
            loop.close();
            thread.join(10_000);
        }
        List<DeliveryAttempt> logged = attemptsOf("am");
        assertTrue(logged.stream().anyMatch(a -> a.dedupKey().equals(silencedKey)
                && a.result() == DeliveryAttempt.Result.SILENCED), logged.toString());
        assertTrue(logged.stream().anyMatch(a -> a.dedupKey().equals(refusedKey) && a.httpStatus() == 400));
    }

    @Test
    void aSecondLoopJoiningAndLeavingWhileTheReceiverIsDownLosesNoPage() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            keys.add("mcp-slo:rebalance-" + i + ":page:" + UUID.randomUUID());
        }
        try (RecordingReceiver pagerDuty = RecordingReceiver.up()) {
            pagerDuty.answer(503);
            ReceiverConfig config = receiver("pd-rebalance", ReceiverType.PAGERDUTY, pagerDuty.url());
            try (var first = new DeliveryLoop(config, broker.bootstrapServers(), attempts, now -> List.of(), FAST,
                    Clock.systemUTC())) {
                Thread firstThread = new Thread(first, "notify-first");
                firstThread.start();
                publish(keys.subList(0, 8).stream().map(key -> transition("rebalance", key, AlertStatus.INACTIVE,
                        AlertStatus.FIRING)).toArray(AlertTransition[]::new));
                await("the first loop trying", Duration.ofSeconds(30), () -> !pagerDuty.bodies().isEmpty());
                try (var second = new DeliveryLoop(config, broker.bootstrapServers(), attempts, now -> List.of(),
                        FAST, Clock.systemUTC())) {
                    Thread secondThread = new Thread(second, "notify-second");
                    secondThread.start();
                    publish(keys.subList(8, 16).stream().map(key -> transition("rebalance", key, AlertStatus.INACTIVE,
                            AlertStatus.FIRING)).toArray(AlertTransition[]::new));
                    Thread.sleep(4_000); // the group rebalances while both retry against a receiver that answers 503
                    second.close();
                    secondThread.join(10_000);
                }
                Thread.sleep(3_000); // the first loop takes every partition back, the receiver still down
                pagerDuty.answer(202);
                await("every page delivered", Duration.ofSeconds(60), () -> pagerDuty.bodies().stream()
                        .filter(body -> body.get("dedup_key") != null)
                        .map(body -> body.get("dedup_key").asText()).collect(Collectors.toSet())
                        .containsAll(keys));
                first.close();
                firstThread.join(10_000);
            }
        }
        List<DeliveryAttempt> delivered = attemptsOf("pd-rebalance").stream()
                .filter(a -> a.result() == DeliveryAttempt.Result.DELIVERED).toList();
        assertEquals(Set.copyOf(keys), delivered.stream().map(DeliveryAttempt::dedupKey)
                .filter(keys::contains).collect(Collectors.toSet()), "each page delivered");
    }
}

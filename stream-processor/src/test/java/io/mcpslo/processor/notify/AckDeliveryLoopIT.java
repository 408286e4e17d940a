package io.mcpslo.processor.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.kafka.AckMessages;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.kafka.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgements from their topic to a real PagerDuty-speaking receiver on loopback, through the real broker: the
 * page goes out through a {@link DeliveryLoop}, which records it on the deliveries topic, and the
 * acknowledgement follows through the receiver's {@link AckDeliveryLoop}.
 */
class AckDeliveryLoopIT {

    private static final NotifySettings FAST = new NotifySettings(Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofHours(1), "http://127.0.0.1:8080");
    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<String, DeliveryAttempt> attempts;
    private static PagedIncidents paged;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        TopicAdmin.ensureTopics(KafkaSettings.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers()))), Duration.ofSeconds(30));
        attempts = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.DELIVERIES.valueSerde().serializer());
        paged = new PagedIncidents(broker.bootstrapServers()).start();
    }

    @AfterAll
    static void stop() {
        paged.close();
        attempts.close();
        broker.close();
    }

    /** One PagerDuty receiver's two loops, as the dispatcher runs them. */
    private record Loops(DeliveryLoop pages, AckDeliveryLoop acks, List<Thread> threads) implements AutoCloseable {
        static Loops start(ReceiverConfig receiver) {
            var pages = new DeliveryLoop(receiver, broker.bootstrapServers(), attempts, now -> List.of(), FAST,
                    Clock.systemUTC());
            var acks = new AckDeliveryLoop(receiver, broker.bootstrapServers(), paged, FAST, Clock.systemUTC());
            List<Thread> threads = List.of(new Thread(pages, "pages-" + receiver.name()),
                    new Thread(acks, "acks-" + receiver.name()));
            threads.forEach(Thread::start);
            return new Loops(pages, acks, threads);
        }

        @Override
        public void close() throws InterruptedException {
            pages.close();
            acks.close();
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    private static ReceiverConfig pagerDuty(String name, RecordingReceiver receiver) {
        return new ReceiverConfig(name, ReceiverType.PAGERDUTY, URI.create(receiver.url()), "routing-123", Set.of(),
                Set.of());
    }

    private static String dedupKey() {
        return "mcp-slo:jira-availability:page:" + UUID.randomUUID();
    }

    private static void page(String dedupKey) throws Exception {
        Instant now = Instant.now();
        var firing = new AlertTransition("jira-availability", "tracker", AlertKind.PAGE, Severity.PAGE,
                AlertStatus.INACTIVE, AlertStatus.FIRING, now, now, dedupKey, "jira burns", Map.of("1h", 20.0), 0.4,
                "page-1h-5m");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS.name(), dedupKey, firing)).get();
        }
    }

    private static void acknowledge(String dedupKey) throws Exception {
        produceRaw(dedupKey, AckMessages.encode(new Acknowledgement(dedupKey, "sre-sam", "on it", Instant.now())));
    }

    private static void produceRaw(String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ACKS.name(), key, value)).get();
        }
    }

    private static List<String> actionsFor(RecordingReceiver receiver, String dedupKey) {
        return receiver.bodies().stream().filter(body -> dedupKey.equals(body.path("dedup_key").asText()))
                .map(body -> body.get("event_action").asText()).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aPagedReceiverDownWhenTheIncidentIsAcknowledgedGetsTheAcknowledgementOnceWhenItIsBack() throws Exception {
        String dedupKey = dedupKey();
        try (RecordingReceiver receiver = RecordingReceiver.up()) {
            ReceiverConfig config = pagerDuty("pd-ack-" + UUID.randomUUID(), receiver);
            try (Loops loops = Loops.start(config)) {
                // a first incident paged and acknowledged while the receiver is up: the loops have caught up with
                // what other tests left on the topics
                String warmUp = dedupKey();
                page(warmUp);
                await("the first page", () -> actionsFor(receiver, warmUp).contains("trigger"));
                acknowledge(warmUp);
                await("the first acknowledgement", () -> actionsFor(receiver, warmUp).contains("acknowledge"));

                page(dedupKey);
                await("the page", () -> actionsFor(receiver, dedupKey).contains("trigger"));
                receiver.close(); // down: nothing listens on its port
                long failedBefore = loops.acks().failedTries();
                acknowledge(dedupKey);
                await("tries while it is down", () -> loops.acks().failedTries() >= failedBefore + 2);
                assertEquals(List.of("trigger"), actionsFor(receiver, dedupKey));

                receiver.start();
                await("the acknowledgement", () -> actionsFor(receiver, dedupKey).contains("acknowledge"));
                Thread.sleep(1_500); // nothing more may come
                assertEquals(List.of("trigger", "acknowledge"), actionsFor(receiver, dedupKey));
                JsonNode sent = receiver.bodies().getLast();
                assertEquals("routing-123", sent.get("routing_key").asText());
                assertEquals(Set.of("routing_key", "dedup_key", "event_action"), fieldNames(sent));
            }
            // the receiver's processor restarts: its loops resume from their committed offsets
            try (Loops restarted = Loops.start(config)) {
                Thread.sleep(3_000);
                assertEquals(List.of("trigger", "acknowledge"), actionsFor(receiver, dedupKey),
                        "the acknowledgement is not sent again");
            }
        }
    }

    @Test
    void badRecordsAreSkippedAndCountedAndAcknowledgementsOfIncidentsNotPagedHereAreNotSent() throws Exception {
        String pagedHere = dedupKey();
        String neverPaged = dedupKey();
        try (RecordingReceiver receiver = RecordingReceiver.up();
             Loops loops = Loops.start(pagerDuty("pd-bad-" + UUID.randomUUID(), receiver))) {
            produceRaw("junk", "{not json".getBytes(StandardCharsets.UTF_8));
            produceRaw("mcp-slo:x:page:1", "{\"v\": 2, \"dedup_key\": \"mcp-slo:x:page:1\"}"
                    .getBytes(StandardCharsets.UTF_8));
            // a valid acknowledgement filed under another incident's key: compaction would mix them up
            produceRaw("mcp-slo:y:page:1", AckMessages.encode(new Acknowledgement("mcp-slo:z:page:1", "mallory", "",
                    Instant.now())));
            produceRaw("mcp-slo:tomb:page:1", null);
            acknowledge(neverPaged);
            page(pagedHere);
            await("the page", () -> actionsFor(receiver, pagedHere).contains("trigger"));
            acknowledge(pagedHere);
            await("the acknowledgement after the bad records",
                    () -> actionsFor(receiver, pagedHere).contains("acknowledge"));
            assertEquals(3, loops.acks().skipped(), "the junk, the v2 record and the mis-keyed one");
            assertEquals(List.of(), actionsFor(receiver, neverPaged), "not paged here, so not acknowledged here");
            assertTrue(receiver.bodies().stream().noneMatch(body -> body.path("dedup_key").asText().contains(":z:")));
        }
        var webhook = new ReceiverConfig("hook", ReceiverType.WEBHOOK, URI.create("http://127.0.0.1:1/"), null,
                Set.of(), Set.of());
        assertThrows(IllegalArgumentException.class, () -> new AckDeliveryLoop(webhook, broker.bootstrapServers(),
                paged, FAST, Clock.systemUTC()), "other receiver kinds take no acknowledgements");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

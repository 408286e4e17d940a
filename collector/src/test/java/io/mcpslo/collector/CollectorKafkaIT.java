package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.kafka.TopicAdmin;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.CallEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collector against a real broker, and against no broker at all. */
class CollectorKafkaIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Javalin collector(String bootstrap, String timeout) {
        var config = CollectorConfig.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "COLLECTOR_KAFKA_TIMEOUT", timeout)));
        return CollectorApp.create(config, Clock.systemUTC(),
                new KafkaEventPublisher(config.kafka(), config.kafkaTimeout()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), TestTokens.auth()).start(0);
    }

    private static String call(String tool) {
        return """
                {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","tool":"%s",
                 "method":"tools/call","duration_ms":3,"outcome":"ok"}""".formatted(UUID.randomUUID(),
                java.time.Instant.now().minusSeconds(5), tool).replace("\n", "");
    }

    @Test
    void acknowledgedCallsAreInTheValidatedCallsTopicKeyedByServerAndTool() throws Exception {
        var kafka = KafkaSettings.from(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())));
        TopicAdmin.ensureTopics(kafka, Duration.ofSeconds(30));
        Javalin app = collector(broker.bootstrapServers(), "30s");
        try {
            String body = "[" + call("a_v1") + "," + call("a_v1") + "," + call("b_v2") + "]";
            var response = HttpTestClient.post(app.port(), "/v1/events", "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
        } finally {
            app.stop();
        }
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "collector-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.CALLS.name(), Topics.EVENTS.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < 3 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        assertEquals(3, records.size());
        assertTrue(records.stream().allMatch(r -> r.topic().equals(Topics.CALLS.name())),
                "validated calls skip the raw events topic: " + records.stream().map(ConsumerRecord::topic).toList());
        assertEquals(2, records.stream().filter(r -> r.key().equals("github|a_v1")).count());
        assertEquals(1, records.stream().filter(r -> r.key().equals("github|b_v2")).count());
        var sameKey = records.stream().filter(r -> r.key().equals("github|a_v1")).map(ConsumerRecord::partition).distinct();
        assertEquals(1, sameKey.count(), "one server+tool stays in one partition");
        CallEvent first = Topics.CALLS.valueSerde().deserializer().deserialize(Topics.CALLS.name(), records.get(0).value());
        assertTrue(first.envelope().tool().equals("a_v1") || first.envelope().tool().equals("b_v2"), first.toString());
    }

    @Test
    void unreachableKafkaAnswers503WithRetryAfter() throws Exception {
        Javalin app = collector("127.0.0.1:1", "2s");
        try {
            var response = HttpTestClient.post(app.port(), "/v1/events", "application/json",
                    call("a_v1").getBytes(StandardCharsets.UTF_8));
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("5", response.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(response.body().contains("resend"), response.body());
        } finally {
            app.stop();
        }
    }
}

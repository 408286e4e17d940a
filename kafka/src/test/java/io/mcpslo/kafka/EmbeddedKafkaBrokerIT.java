package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The in-process broker through a real client: what it acknowledged survives a restart; our topics' settings. */
class EmbeddedKafkaBrokerIT {

    @Test
    void aRecordAcknowledgedBeforeAStopIsReadAfterARestartOnTheSameLog() throws Exception {
        Path log = Files.createTempDirectory("mcp-slo-kafka-it");
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(log, 0)) {
            clusterId = clusterId(broker);
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("durable", 1, (short) 1))).all().get();
            }
            try (var producer = producer(broker)) {
                producer.send(new ProducerRecord<>("durable", "k", "acknowledged")).get();
            }
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(log, 0)) {
            assertEquals(clusterId, clusterId(broker), "the same cluster, not a freshly formatted one");
            List<ConsumerRecord<String, String>> records = readAll(broker, "durable", 1);
            assertEquals(List.of("acknowledged"), records.stream().map(ConsumerRecord::value).toList());
        }
    }

    @Test
    void aSecondBrokerOnTheSameLogIsRefusedAndTheFirstKeepsServing() throws Exception {
        Path log = Files.createTempDirectory("mcp-slo-kafka-it");
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.startPersistent(log, 0)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.startPersistent(log, 0).close());
            assertTrue(refused.getMessage().contains("in use by another broker"), refused.getMessage());

            try (Admin admin = admin(first)) {
                admin.createTopics(List.of(new NewTopic("still-serving", 1, (short) 1))).all().get();
            }
            try (var producer = producer(first)) {
                producer.send(new ProducerRecord<>("still-serving", "k", "after the refusal")).get();
            }
            assertEquals(List.of("after the refusal"),
                    readAll(first, "still-serving", 1).stream().map(ConsumerRecord::value).toList());
        }
    }

    @Test
    void everyPipelineTopicCountsRetentionFromArrivalNotFromTheRecordsOwnTimestamp() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); Admin admin = admin(broker)) {
            // one topic made before the setting existed: ensureTopics must bring it in line too
            admin.createTopics(List.of(new NewTopic(Topics.ROLLUPS.name(), 1, (short) 1))).all().get();
            TopicAdmin.ensureTopics(new KafkaSettings(broker.bootstrapServers(), 2, Optional.of((short) 1)),
                    Duration.ofSeconds(30));

            List<ConfigResource> topics = Topics.ALL.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList();
            // a config change reaches the broker's metadata a moment after the controller accepted it
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<String> notAppendTime;
            do {
                Map<ConfigResource, Config> configs = admin.describeConfigs(topics).all().get();
                notAppendTime = topics.stream().filter(topic -> !configs.get(topic)
                        .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value().equals("LogAppendTime"))
                        .map(ConfigResource::name).toList();
            } while (!notAppendTime.isEmpty() && System.nanoTime() < deadline);
            assertEquals(List.of(), notAppendTime, "topics whose records keep the producer's timestamp");

            Instant beforeSend = Instant.now();
            long fortnightAgo = beforeSend.minus(Duration.ofDays(14)).toEpochMilli();
            try (var producer = producer(broker)) {
                producer.send(new ProducerRecord<>(Topics.ROLLUPS.name(), 0, fortnightAgo, "k", "back-filled")).get();
            }
            ConsumerRecord<String, String> stored = readAll(broker, Topics.ROLLUPS.name(), 1).get(0);
            assertEquals(TimestampType.LOG_APPEND_TIME, stored.timestampType());
            assertTrue(stored.timestamp() >= beforeSend.toEpochMilli(),
                    "the broker stamped its arrival, not the window start of two weeks ago: " + stored.timestamp());
        }
    }

    @Test
    void theSilencesTopicIsCompactedEvenWhenItWasCreatedWithoutAndTheOthersAreNot() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); Admin admin = admin(broker)) {
            // as a producer's auto-creation would make it, before the pipeline created its topics
            admin.createTopics(List.of(new NewTopic(Topics.SILENCES.name(), 1, (short) 1))).all().get();
            TopicAdmin.ensureTopics(new KafkaSettings(broker.bootstrapServers(), 2, Optional.of((short) 1)),
                    Duration.ofSeconds(30));
            ConfigResource silences = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SILENCES.name());
            ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ALERTS.name());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Map<ConfigResource, Config> configs;
            do {
                configs = admin.describeConfigs(List.of(silences, alerts)).all().get();
            } while (!configs.get(silences).get(TopicConfig.CLEANUP_POLICY_CONFIG).value().equals("compact")
                    && System.nanoTime() < deadline);
            assertEquals("compact", configs.get(silences).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals("delete", configs.get(alerts).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                "group.id", "it-" + UUID.randomUUID()), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}

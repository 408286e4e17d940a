package io.mcpslo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The in-process three-node cluster: three copies, and writes go on while one node is down. */
class EmbeddedKafkaClusterIT {

    @Test
    void writesAcknowledgedWhileOneNodeIsDownAreAllReadAndTheNodeRejoins() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("replicated", 2, (short) 3))).all().get(60, TimeUnit.SECONDS);
            TopicDescription described = admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated");
            assertTrue(described.partitions().stream().allMatch(partition -> partition.replicas().size() == 3),
                    described.toString());

            List<String> acknowledged = new ArrayList<>();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("replicated", "k" + i, "before-" + i)).get();
                    acknowledged.add("before-" + i);
                }
                cluster.stopNode(1);
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("replicated", "k" + i, "during-" + i)).get(60, TimeUnit.SECONDS);
                    acknowledged.add("during-" + i);
                }
                cluster.startNode(1);
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("replicated", "k" + i, "after-" + i)).get(60, TimeUnit.SECONDS);
                    acknowledged.add("after-" + i);
                }
            }
            // with node 2 back, stop another: node 2 must have caught up for the data to stay readable in full
            awaitInSync(admin, 3);
            cluster.stopNode(0);
            assertEquals(acknowledged.stream().sorted().toList(), readAll(cluster, acknowledged.size()));
        }
    }

    private static void awaitInSync(Admin admin, int replicas) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated").partitions()
                .stream().anyMatch(partition -> partition.isr().size() < replicas)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the restarted node did not catch up within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static List<String> readAll(EmbeddedKafkaCluster cluster, int expected) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("replicated", 0),
                    new TopicPartition("replicated", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            return values.stream().sorted().toList();
        }
    }
}

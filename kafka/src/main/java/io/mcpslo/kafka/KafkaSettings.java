package io.mcpslo.kafka;

import io.mcpslo.common.config.Settings;
import java.util.Optional;

/** Where the Kafka cluster is and how topics are created on it. */
public record KafkaSettings(String bootstrapServers, int topicPartitions, Optional<Short> replicationFactor) {

    public static KafkaSettings from(Settings settings) {
        int replication = settings.integer("KAFKA_REPLICATION_FACTOR", 0, 0, 32);
        return new KafkaSettings(
                settings.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                settings.integer("KAFKA_TOPIC_PARTITIONS", 4, 1, 1024),
                replication == 0 ? Optional.empty() : Optional.of((short) replication));
    }

    public String describe() {
        return "Kafka " + bootstrapServers + " partitions=" + topicPartitions + " replication="
                + replicationFactor.map(String::valueOf).orElse("broker default");
    }
}

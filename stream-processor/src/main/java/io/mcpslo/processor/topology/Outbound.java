package io.mcpslo.processor.topology;

import io.mcpslo.kafka.Topic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.RecordContext;

/**
 * One processor output on its way to the topic its type belongs to, already in that topic's wire format. A
 * processor's outputs are a sealed type; the topology turns each into an {@code Outbound} with an exhaustive switch,
 * so a new output kind does not compile until it has a topic.
 */
record Outbound(String topic, byte[] value) {

    /** Writes the bytes as they are; outbound values are never read back through this serde. */
    private static final Serde<Outbound> SERDE = Serdes.serdeFrom((topic, outbound) -> outbound.value(), (topic, bytes) -> {
        throw new UnsupportedOperationException("outbound values are only written");
    });

    /** How a topology's sink node named {@code name} writes outbound values (Produced is mutable, so one per sink). */
    static Produced<String, Outbound> produced(String name) {
        return Produced.with(Serdes.String(), SERDE).withName(name);
    }

    static <V> Outbound of(Topic<String, V> topic, V value) {
        return new Outbound(topic.name(), topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    static String topicOf(String key, Outbound outbound, RecordContext context) {
        return outbound.topic();
    }
}

package io.mcpslo.kafka;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values, so no code names a topic by a loose string. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}

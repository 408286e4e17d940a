package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteBehindStoreTest {

    private static final String STORE = "counts";
    private static final String APP = "write-behind-test";

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> input;
    private TestOutputTopic<String, Long> changelog;
    /** What the processor saw in the store at each record, as "key=value" after its put, and scans on request. */
    private final List<String> seen = new ArrayList<>();

    /**
     * Counts records per key in the store; a value "scan" lists the store, "drop" deletes the key, "count-and-scan"
     * counts and lists the store within the same record (before any commit).
     */
    private final class Counting implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            switch (record.value()) {
                case "scan" -> seen.add("scan " + scan());
                case "count-and-scan" -> {
                    Long current = counts.get(record.key());
                    counts.put(record.key(), current == null ? 1 : current + 1);
                    seen.add("scan " + scan());
                }
                case "drop" -> {
                    counts.delete(record.key());
                    seen.add(record.key() + "=" + counts.get(record.key()));
                }
                default -> {
                    Long current = counts.get(record.key());
                    counts.put(record.key(), current == null ? 1 : current + 1);
                    seen.add(record.key() + "=" + counts.get(record.key()));
                }
            }
        }

        private Map<String, Long> scan() {
            Map<String, Long> all = new LinkedHashMap<>();
            try (KeyValueIterator<String, Long> entries = counts.all()) {
                entries.forEachRemaining(entry -> all.put(entry.key, entry.value));
            }
            return all;
        }
    }

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.Long()).withCachingEnabled()));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).process(Counting::new, STORE);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // as in production: a commit is a transaction, and what is written after it belongs to the next one
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(builder.build(), props);
        input = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
        changelog = driver.createOutputTopic(APP + "-" + STORE + "-changelog", Serdes.String().deserializer(),
                Serdes.Long().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyCommitWritesWhatWasPutSinceTheLastOneToTheChangelog() {
        // the test driver commits after every record: each transaction must carry that record's put
        input.pipeInput("a", "call");
        assertEquals(List.of(KeyValue.pair("a", 1L)), changelog.readKeyValuesToList());
        input.pipeInput("a", "call");
        input.pipeInput("b", "call");
        assertEquals(List.of(KeyValue.pair("a", 2L), KeyValue.pair("b", 1L)), changelog.readKeyValuesToList());
        input.pipeInput("a", "drop");
        assertEquals(List.of(KeyValue.pair("a", null)), changelog.readKeyValuesToList());
        assertEquals(List.of("a=1", "a=2", "b=1", "a=null"), seen);
    }

    @Test
    void theStoreAnswersWithWhatWasPutEvenBeforeItIsWrittenDown() {
        input.pipeInput("a", "call");
        input.pipeInput("b", "call");
        input.pipeInput("x", "scan");
        input.pipeInput("b", "drop");
        input.pipeInput("x", "scan");
        assertEquals(List.of("a=1", "b=1", "scan {a=1, b=1}", "b=null", "scan {a=1}"), seen);
        KeyValueStore<String, Long> store = driver.getKeyValueStore(STORE);
        assertEquals(1L, store.get("a"));
        assertNull(store.get("b"));
    }

    @Test
    void aScanSeesWhatWasPutInTheSameRecord() {
        input.pipeInput("a", "call");
        input.pipeInput("c", "count-and-scan");
        assertEquals(List.of("a=1", "scan {a=1, c=1}"), seen);
    }

    /**
     * A task Streams recycles (active, standby, active again) is not initialised again, and while it was a standby
     * the store beneath took newer values from the changelog: the objects held from before must not answer.
     */
    @Test
    void aRecycledTaskReadsWhatTheStoreBeneathHoldsNow() {
        KeyValueStore<String, Long> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("recycled"),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().withCachingDisabled().build();
        var store = (WriteBehindStore<String, Long>) WriteBehindStore.builder(new NamedBuilder<>(inner)).build();
        var context = new org.apache.kafka.streams.processor.api.MockProcessorContext<Void, Void>();
        store.init(context.getStateStoreContext(), store);
        store.put("a", 1L);
        store.flushCache();
        assertEquals(1L, inner.get("a"), "written down at the commit");
        inner.put("a", 5L); // what a standby restores from the changelog another instance wrote
        store.put("b", 7L);
        store.clearCache();
        assertEquals(5L, store.get("a"));
        assertNull(store.get("b"), "nothing put before the recycle and not committed survives it");
        store.close();
    }

    /** A builder that hands out one given store: lets the test reach the store beneath the write-behind layer. */
    private record NamedBuilder<K, V>(KeyValueStore<K, V> store)
            implements org.apache.kafka.streams.state.StoreBuilder<KeyValueStore<K, V>> {
        @Override
        public NamedBuilder<K, V> withCachingEnabled() {
            return this;
        }

        @Override
        public NamedBuilder<K, V> withCachingDisabled() {
            return this;
        }

        @Override
        public NamedBuilder<K, V> withLoggingEnabled(Map<String, String> config) {
            return this;
        }

        @Override
        public NamedBuilder<K, V> withLoggingDisabled() {
            return this;
        }

        @Override
        public KeyValueStore<K, V> build() {
            return store;
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }

        @Override
        public String name() {
            return store.name();
        }
    }
}

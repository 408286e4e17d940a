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

    /** Counts records per key in the store; a value "scan" lists the store, "drop" deletes the key. */
    private final class Counting implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            switch (record.value()) {
                case "scan" -> {
                    Map<String, Long> all = new LinkedHashMap<>();
                    try (KeyValueIterator<String, Long> entries = counts.all()) {
                        entries.forEachRemaining(entry -> all.put(entry.key, entry.value));
                    }
                    seen.add("scan " + all);
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
}

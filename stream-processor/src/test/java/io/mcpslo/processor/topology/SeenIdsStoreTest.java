package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packed changelog read back (as a restore after a crash or a standby reads it), the window store's changelog
 * and local segments this store replaced read too, and the buckets it keeps.
 */
class SeenIdsStoreTest {

    private static final Duration BUCKET = Duration.ofMinutes(15);
    private static final String NAME = RollupProcessor.SEEN_STORE;
    private static final String APP = "seen-ids-test";
    private static final String CHANGELOG = APP + "-" + NAME + "-changelog";
    private static final long B0 = 1_764_000_000_000L / BUCKET.toMillis() * BUCKET.toMillis();

    @TempDir
    Path stateDir;

    /** Adds each input id (key) in the bucket its value names, as the rollup does. */
    private static final class Adding implements Processor<String, Long, Void, Void> {
        private SeenIdsStore store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(NAME);
        }

        @Override
        public void process(Record<String, Long> record) {
            store.add(UUID.fromString(record.key()), record.value());
        }
    }

    /** Puts each id into a window store as the rollup did before (id as text, bucket as window start). */
    private static final class WindowPutting implements Processor<String, Long, Void, Void> {
        private WindowStore<String, Long> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(NAME);
        }

        @Override
        public void process(Record<String, Long> record) {
            store.put(record.key(), 1L, record.value());
        }
    }

    /** The rollup's id store as it was before: a window store, logged, one id per changelog record. */
    private static StreamsBuilder windowStoreTopology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(NAME, BUCKET.multipliedBy(3),
                Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        builder.stream("ids", Consumed.with(Serdes.String(), Serdes.Long())).process(WindowPutting::new, NAME);
        return builder;
    }

    private TopologyTestDriver driver(StreamsBuilder builder) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("driver").toString());
        return new TopologyTestDriver(builder.build(), config);
    }

    private static List<KeyValue<byte[], byte[]>> pipe(TopologyTestDriver driver, List<KeyValue<String, Long>> ids) {
        var input = driver.createInputTopic("ids", new StringSerializer(), new LongSerializer());
        ids.forEach(id -> input.pipeInput(id.key, id.value));
        return driver.createOutputTopic(CHANGELOG, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readKeyValuesToList();
    }

    private static List<KeyValue<String, Long>> ids(int count, long bucket) {
        List<KeyValue<String, Long>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(KeyValue.pair(UUID.randomUUID().toString(), bucket));
        }
        return ids;
    }

    private SeenIdsStore restoredInto(List<KeyValue<byte[], byte[]>> changelog) {
        SeenIdsStore store = SeenIdsStore.builder(NAME, BUCKET, false).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        changelog.forEach(record -> store.restore(record.key, record.value));
        return store;
    }

    private static void assertRemembers(SeenIdsStore store, List<KeyValue<String, Long>> ids) {
        for (KeyValue<String, Long> id : ids) {
            assertTrue(store.contains(UUID.fromString(id.key), id.value), "remembers " + id.key + " in " + id.value);
            assertFalse(store.contains(UUID.fromString(id.key), id.value + BUCKET.toMillis()),
                    "only in its own bucket");
        }
    }

    @Test
    void idsAddedAreLoggedPackedAndARestoreRemembersThem() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(SeenIdsStore.builder(NAME, BUCKET, true));
        builder.stream("ids", Consumed.with(Serdes.String(), Serdes.Long())).process(Adding::new, NAME);
        List<KeyValue<String, Long>> ids = new ArrayList<>(ids(5, B0));
        ids.addAll(ids(3, B0 + BUCKET.toMillis()));
        List<KeyValue<byte[], byte[]>> changelog;
        try (TopologyTestDriver driver = driver(builder)) {
            changelog = pipe(driver, ids);
        }
        assertTrue(changelog.size() <= ids.size(), "at most one record per id: " + changelog.size());
        int idBytes = changelog.stream().mapToInt(record -> record.value.length - 9).sum();
        assertEquals(16 * ids.size(), idBytes, "16 bytes per id in the changelog");

        SeenIdsStore restored = restoredInto(changelog);
        assertRemembers(restored, ids);
        assertEquals(8, restored.count());
    }

    @Test
    void aWindowStoresChangelogIsReadIdForId() {
        StreamsBuilder builder = windowStoreTopology();
        List<KeyValue<String, Long>> ids = ids(4, B0);
        List<KeyValue<byte[], byte[]>> changelog;
        try (TopologyTestDriver driver = driver(builder)) {
            changelog = pipe(driver, ids);
        }
        assertEquals(4, changelog.size());
        assertRemembers(restoredInto(changelog), ids);
    }

    @Test
    void aWindowStoresSegmentsLeftOnDiskAreTakenOverAndDeleted() throws IOException {
        StreamsBuilder builder = windowStoreTopology();
        List<KeyValue<String, Long>> ids = new ArrayList<>(ids(3, B0));
        ids.addAll(ids(2, B0 + BUCKET.toMillis()));
        Path taskDir = stateDir.resolve("upgraded");
        try (TopologyTestDriver driver = driver(builder)) {
            pipe(driver, ids);
            copy(stateDir.resolve("driver").resolve(APP).resolve("0_0").resolve(NAME), taskDir.resolve(NAME));
        }
        assertTrue(segments(taskDir.resolve(NAME)) > 0, "the window store left segments");

        SeenIdsStore store = SeenIdsStore.builder(NAME, BUCKET, true).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>(new Properties(), new org.apache.kafka.streams.processor.TaskId(0, 0),
                taskDir.toFile()).getStateStoreContext(), store);
        try {
            assertRemembers(store, ids);
            assertEquals(0, segments(taskDir.resolve(NAME)), "the segments were deleted once read");
        } finally {
            store.close();
        }
    }

    @Test
    void bucketsBeforeThePreviousOneAreDroppedOnDisk() {
        SeenIdsStore store = SeenIdsStore.builder(NAME, BUCKET, true).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>(new Properties(), new org.apache.kafka.streams.processor.TaskId(0, 0),
                stateDir.toFile()).getStateStoreContext(), store);
        try {
            UUID old = UUID.randomUUID();
            UUID kept = UUID.randomUUID();
            store.add(old, B0);
            store.add(kept, B0 + BUCKET.toMillis());
            store.add(UUID.randomUUID(), B0 + 2 * BUCKET.toMillis());
            assertFalse(store.contains(old, B0), "two buckets back is forgotten");
            assertTrue(store.contains(kept, B0 + BUCKET.toMillis()), "the previous bucket is kept");
            assertFalse(Files.exists(stateDir.resolve(NAME).resolve(SeenIds.OnDisk.BUCKET_PREFIX + B0)),
                    "the dropped bucket's directory is deleted");
        } finally {
            store.close();
        }
    }

    @Test
    void aChangelogRecordOfNeitherFormatIsRefusedByName() {
        SeenIdsStore store = restoredInto(List.of());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> store.restore(new byte[16], new byte[] {2, 0, 0}));
        assertTrue(refused.getMessage().contains(NAME), refused.getMessage());
    }

    private static long segments(Path storeDir) throws IOException {
        try (Stream<Path> files = Files.list(storeDir)) {
            return files.filter(file -> file.getFileName().toString().startsWith(NAME + ".")).count();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("LOCK")) {
                    Files.copy(file, target);
                }
            }
        }
    }
}

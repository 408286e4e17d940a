package io.mcpslo.processor.topology;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorContextUtils;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The event ids a rollup task counted, per bucket of stream time, with a changelog that holds them packed: the ids
 * added since the last commit go out as one record of 16 bytes each ({@value #MAX_IDS_PER_RECORD} at most) when
 * Streams flushes the stores' caches before it commits, in the same transaction as the offsets. A changelog record
 * per id (as a window store writes) cost a tenth of the rollup threads and as much again in the broker.
 *
 * <p>The changelog is kept by time ({@code cleanup.policy=delete}, the store's retention and a day more); a restore,
 * on an active task or a standby, adds every id it reads and the next added id drops the buckets out of retention.
 * Records a window store wrote under the same name (one id each) are read too, and a store directory a window
 * store left is taken over, so an upgrade forgets no id.
 */
final class SeenIdsStore implements StateStore, CachedStateStore<Object, Object> {

    static final int MAX_IDS_PER_RECORD = 16_384;
    static final byte FORMAT_PACKED = 1;
    private static final int HEADER_BYTES = 1 + 8;
    /** RocksDB key (the 16-byte id, no value) and its per-entry overhead, plus the id's 16 bytes in the changelog. */
    static final int BYTES_PER_REMEMBERED_ID = 16 + 16 + 16;
    private static final int LEGACY_KEY_SUFFIX = 8 + 4;
    private static final int LEGACY_ID_CHARS = 36;

    private final String name;
    private final long bucketMs;
    private final boolean onDisk;
    private final boolean logged;
    private SeenIds ids;
    private InternalProcessorContext<?, ?> changelog;
    private long latestBucket = Long.MIN_VALUE;
    private long pendingBucket = Long.MIN_VALUE;
    private byte[] pending = new byte[HEADER_BYTES + MAX_IDS_PER_RECORD * 16];
    private int pendingIds;
    private boolean open;

    private SeenIdsStore(String name, Duration bucket, boolean onDisk, boolean logged) {
        this.name = name;
        this.bucketMs = bucket.toMillis();
        this.onDisk = onDisk;
        this.logged = logged;
    }

    /** Ids of the current bucket and the one before are kept: lookups read those two. */
    static Duration retention(Duration bucket) {
        return bucket.multipliedBy(2);
    }

    static StoreBuilder<SeenIdsStore> builder(String name, Duration bucket, boolean onDisk) {
        return new Builder(name, bucket, onDisk, true);
    }

    boolean contains(UUID id, long bucket) {
        return ids.contains(bucket, id);
    }

    /** Remembers {@code id} in {@code bucket} (a multiple of the bucket length); it is logged at the next commit. */
    void add(UUID id, long bucket) {
        if (bucket > latestBucket) {
            latestBucket = bucket;
            ids.dropBefore(bucket - bucketMs);
        }
        ids.add(bucket, id);
        if (!logged) {
            return;
        }
        if (bucket != pendingBucket || pendingIds == MAX_IDS_PER_RECORD) {
            logPending();
            pendingBucket = bucket;
        }
        SeenIds.putId(pending, HEADER_BYTES + pendingIds * 16, id);
        pendingIds++;
    }

    long count() {
        return ids.count();
    }

    private void logPending() {
        if (pendingIds == 0) {
            return;
        }
        pending[0] = FORMAT_PACKED;
        SeenIds.putLong(pending, 1, pendingBucket);
        byte[] value = Arrays.copyOf(pending, HEADER_BYTES + pendingIds * 16);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        // stamped with the wall clock: the changelog keeps a record for its retention after it was written
        changelog.logChange(name, Bytes.wrap(key), value, System.currentTimeMillis(), Position.emptyPosition());
        pendingIds = 0;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pendingIds = 0;
        latestBucket = Long.MIN_VALUE;
        if (onDisk) {
            File dir = new File(context.stateDir(), name);
            SeenIds.OnDisk disk = new SeenIds.OnDisk(dir);
            ids = disk;
            takeOverWindowStoreSegments(dir);
        } else {
            ids = new SeenIds.InMemory();
        }
        if (logged) {
            changelog = ProcessorContextUtils.asInternalProcessorContext(context);
        }
        context.register(root, this::restore);
        open = true;
    }

    /** One changelog record: packed ids, or (written by the window store this store replaced) one id. */
    void restore(byte[] key, byte[] value) {
        if (value == null) {
            return;
        }
        if (value.length >= HEADER_BYTES && value[0] == FORMAT_PACKED && (value.length - HEADER_BYTES) % 16 == 0) {
            long bucket = SeenIds.longAt(value, 1);
            for (int offset = HEADER_BYTES; offset < value.length; offset += 16) {
                ids.add(bucket, SeenIds.idAt(value, offset));
            }
            latestBucket = Math.max(latestBucket, bucket);
            ids.dropBefore(latestBucket - bucketMs);
            return;
        }
        if (value.length == 8 && key.length == LEGACY_ID_CHARS + LEGACY_KEY_SUFFIX) {
            addLegacy(key);
            return;
        }
        throw new IllegalStateException("store " + name + ": a changelog record of " + value.length
                + " bytes (key of " + key.length + " bytes) is neither packed ids nor a window store's id");
    }

    /** A window store's key: the id as text, the window start (the bucket) and a sequence number. */
    private void addLegacy(byte[] key) {
        UUID id = UUID.fromString(new String(key, 0, LEGACY_ID_CHARS, StandardCharsets.UTF_8));
        long bucket = SeenIds.longAt(key, LEGACY_ID_CHARS);
        ids.add(bucket, id);
        latestBucket = Math.max(latestBucket, bucket);
    }

    /**
     * A window store kept its ids in segment directories named {@code <store>.<segment start>} in the same directory;
     * Streams restores only what came after its checkpoint, so the ids in them are read here, then deleted.
     */
    private void takeOverWindowStoreSegments(File dir) {
        File[] segments = dir.listFiles((parent, file) -> file.startsWith(name + "."));
        if (segments == null || segments.length == 0) {
            return;
        }
        try (Options options = new Options()) {
            for (File segment : segments) {
                try (RocksDB db = RocksDB.openReadOnly(options, segment.getAbsolutePath());
                     RocksIterator entries = db.newIterator()) {
                    for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                        if (entries.key().length == LEGACY_ID_CHARS + LEGACY_KEY_SUFFIX) {
                            addLegacy(entries.key());
                        }
                    }
                } catch (RocksDBException e) {
                    throw new IllegalStateException("cannot read the window store segment " + segment + ": "
                            + e.getMessage(), e);
                }
                SeenIds.OnDisk.deleteRecursively(segment.toPath());
            }
        }
        ids.flush();
    }

    @Override
    public void flushCache() {
        logPending();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    /** Called when Streams turns the task into a standby or back; nothing is pending after the last commit. */
    @Override
    public void clearCache() {
        pendingIds = 0;
    }

    @Override
    public void flush() {
        ids.flush();
    }

    @Override
    public void close() {
        open = false;
        pendingIds = 0;
        if (ids != null) {
            ids.close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean persistent() {
        return onDisk;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private static final class Builder implements StoreBuilder<SeenIdsStore> {
        private final String name;
        private final Duration bucket;
        private final boolean onDisk;
        private boolean logged;

        Builder(String name, Duration bucket, boolean onDisk, boolean logged) {
            this.name = name;
            this.bucket = bucket;
            this.onDisk = onDisk;
            this.logged = logged;
        }

        @Override
        public StoreBuilder<SeenIdsStore> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<SeenIdsStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<SeenIdsStore> withLoggingEnabled(Map<String, String> config) {
            logged = true;
            return this;
        }

        @Override
        public StoreBuilder<SeenIdsStore> withLoggingDisabled() {
            logged = false;
            return this;
        }

        @Override
        public SeenIdsStore build() {
            return new SeenIdsStore(name, bucket, onDisk, logged);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of("cleanup.policy", "delete",
                    "retention.ms", Long.toString(retention(bucket).plus(Duration.ofDays(1)).toMillis()));
        }

        @Override
        public boolean loggingEnabled() {
            return logged;
        }

        @Override
        public String name() {
            return name;
        }
    }
}

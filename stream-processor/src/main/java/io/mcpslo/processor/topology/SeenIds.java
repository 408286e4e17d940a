package io.mcpslo.processor.topology;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/** The event ids a rollup task has counted, kept per bucket of stream time so that a whole bucket is dropped at once. */
interface SeenIds extends AutoCloseable {

    boolean contains(long bucket, UUID id);

    void add(long bucket, UUID id);

    /** Forgets every bucket before {@code bucket}. */
    void dropBefore(long bucket);

    long count();

    /** Makes what was added durable on disk (the changelog offsets Streams checkpoints next assume it). */
    void flush();

    @Override
    void close();

    /** For tests and the in-memory mode: a set per bucket. */
    final class InMemory implements SeenIds {
        private final TreeMap<Long, Set<UUID>> buckets = new TreeMap<>();

        @Override
        public boolean contains(long bucket, UUID id) {
            Set<UUID> ids = buckets.get(bucket);
            return ids != null && ids.contains(id);
        }

        @Override
        public void add(long bucket, UUID id) {
            buckets.computeIfAbsent(bucket, b -> new HashSet<>()).add(id);
        }

        @Override
        public void dropBefore(long bucket) {
            buckets.headMap(bucket).clear();
        }

        @Override
        public long count() {
            return buckets.values().stream().mapToLong(Set::size).sum();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            buckets.clear();
        }
    }

    /**
     * One RocksDB per bucket under {@code dir} ({@code bucket-<start ms>}), keyed by the id's 16 bytes with no value:
     * dropping a bucket deletes its directory. No write-ahead log: Streams restores the store from its changelog
     * when it did not flush it cleanly.
     */
    final class OnDisk implements SeenIds {
        static final String BUCKET_PREFIX = "bucket-";
        private static final byte[] NO_VALUE = new byte[0];
        private static final long WRITE_BUFFER_BYTES = 8L << 20;

        private final File dir;
        private final TreeMap<Long, RocksDB> buckets = new TreeMap<>();
        private final Options options;
        private final WriteOptions writeOptions;
        private long currentBucket = Long.MIN_VALUE;
        private RocksDB current;

        OnDisk(File dir) {
            RocksDB.loadLibrary();
            this.dir = dir;
            this.writeOptions = new WriteOptions().setDisableWAL(true);
            this.options = new Options().setCreateIfMissing(true)
                    .setWriteBufferSize(WRITE_BUFFER_BYTES)
                    .setMaxWriteBufferNumber(2)
                    // random ids do not compress
                    .setCompressionType(CompressionType.NO_COMPRESSION)
                    .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false)));
            if (!dir.isDirectory() && !dir.mkdirs()) {
                throw new UncheckedIOException(new IOException("cannot create the seen-ids directory " + dir));
            }
            File[] existing = dir.listFiles((parent, name) -> name.startsWith(BUCKET_PREFIX));
            for (File bucketDir : existing == null ? new File[0] : existing) {
                long bucket = Long.parseLong(bucketDir.getName().substring(BUCKET_PREFIX.length()));
                buckets.put(bucket, open(bucketDir));
            }
        }

        private RocksDB open(File bucketDir) {
            try {
                return RocksDB.open(options, bucketDir.getAbsolutePath());
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot open the seen-ids bucket " + bucketDir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public boolean contains(long bucket, UUID id) {
            RocksDB db = buckets.get(bucket);
            if (db == null) {
                return false;
            }
            try {
                return db.get(bytes(id)) != null;
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot read the seen-ids bucket " + bucket + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void add(long bucket, UUID id) {
            if (bucket != currentBucket) {
                current = buckets.computeIfAbsent(bucket, b -> open(new File(dir, BUCKET_PREFIX + b)));
                currentBucket = bucket;
            }
            try {
                current.put(writeOptions, bytes(id), NO_VALUE);
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot write the seen-ids bucket " + bucket + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void dropBefore(long bucket) {
            Map<Long, RocksDB> dropped = buckets.headMap(bucket);
            for (Map.Entry<Long, RocksDB> entry : dropped.entrySet()) {
                entry.getValue().close();
                deleteRecursively(new File(dir, BUCKET_PREFIX + entry.getKey()).toPath());
            }
            dropped.clear();
            if (currentBucket < bucket) {
                currentBucket = Long.MIN_VALUE;
                current = null;
            }
        }

        @Override
        public long count() {
            long count = 0;
            for (RocksDB db : buckets.values()) {
                try {
                    count += db.getLongProperty("rocksdb.estimate-num-keys");
                } catch (RocksDBException e) {
                    throw new IllegalStateException("cannot count the seen ids: " + e.getMessage(), e);
                }
            }
            return count;
        }

        @Override
        public void flush() {
            try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
                for (RocksDB db : buckets.values()) {
                    db.flush(wait);
                }
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot flush the seen ids to disk: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            buckets.values().forEach(RocksDB::close);
            buckets.clear();
            current = null;
            currentBucket = Long.MIN_VALUE;
            writeOptions.close();
            options.close();
        }

        static void deleteRecursively(Path path) {
            if (!Files.exists(path)) {
                return;
            }
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
    }

    static byte[] bytes(UUID id) {
        byte[] bytes = new byte[16];
        putId(bytes, 0, id);
        return bytes;
    }

    static void putId(byte[] target, int offset, UUID id) {
        putLong(target, offset, id.getMostSignificantBits());
        putLong(target, offset + 8, id.getLeastSignificantBits());
    }

    static UUID idAt(byte[] source, int offset) {
        return new UUID(longAt(source, offset), longAt(source, offset + 8));
    }

    static void putLong(byte[] target, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            target[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    static long longAt(byte[] source, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (source[offset + i] & 0xFF);
        }
        return value;
    }
}

package io.mcpslo.processor.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps the values put since the last commit as objects and hands them to the store
 * beneath (serialised, cached, logged) only when Streams flushes its caches before committing. A value put many
 * times between two commits, as a busy minute's rollup is once per call, is serialised once per commit instead of
 * once per put; the changelog and the committed offsets stay one transaction, because Streams flushes every
 * store's cache before it sends the offsets. Reads see the pending values, then the ones written at the last
 * commit (still as objects, so a busy window is not decoded again after every commit); a range or a scan first
 * writes the pending ones down. Values must not be changed after they are put (rollups are immutable records).
 */
final class WriteBehindStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V> implements KeyValueStore<K, V> {

    private Map<K, V> pending = new HashMap<>();
    /** The values written down at the last commit, which the store beneath holds as bytes. */
    private Map<K, V> written = new HashMap<>();

    private WriteBehindStore(KeyValueStore<K, V> inner) {
        super(inner);
    }

    /** The store {@code inner} builds, with puts held back until the next commit. */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> inner) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
                inner.withCachingEnabled();
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
                inner.withCachingDisabled();
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
                inner.withLoggingEnabled(config);
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
                inner.withLoggingDisabled();
                return this;
            }

            @Override
            public KeyValueStore<K, V> build() {
                return new WriteBehindStore<>(inner.build());
            }

            @Override
            public Map<String, String> logConfig() {
                return inner.logConfig();
            }

            @Override
            public boolean loggingEnabled() {
                return inner.loggingEnabled();
            }

            @Override
            public String name() {
                return inner.name();
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // a task revived after an aborted transaction starts again from the restored store
        pending.clear();
        written.clear();
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        writePending();
        super.flushCache();
    }

    /**
     * Streams calls this when it recycles the task (active to standby and back) without initialising the store
     * again; while it was a standby the store beneath took newer values from the changelog, so no object held here
     * may answer for it any more.
     */
    @Override
    public void clearCache() {
        pending.clear();
        written.clear();
        super.clearCache();
    }

    @Override
    public void flush() {
        writePending();
        super.flush();
    }

    @Override
    public void close() {
        pending.clear();
        written.clear();
        super.close();
    }

    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        List<KeyValue<K, V>> entries = pending.entrySet().stream()
                .map(entry -> KeyValue.pair(entry.getKey(), entry.getValue())).toList();
        written = pending;
        pending = new HashMap<>();
        wrapped().putAll(entries);
    }

    @Override
    public V get(K key) {
        V value = pending.get(key);
        if (value == null) {
            value = written.get(key);
        }
        return value != null ? value : wrapped().get(key);
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            delete(key);
        } else {
            pending.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(K key) {
        V held = pending.remove(key);
        written.remove(key);
        V stored = wrapped().delete(key);
        return held != null ? held : stored;
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writePending();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writePending();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writePending();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writePending();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writePending();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + pending.size();
    }
}

package io.mcpslo.processor.topology;

import io.mcpslo.engine.dedup.RecentIds;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.schemas.CallEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls calls up into one-minute windows per (server, tool, version).
 *
 * <p>Every window an event touched is marked dirty, and a wall-clock punctuator emits the dirty windows every
 * {@code emitInterval}: rollups show up within seconds even when traffic stops, and a window never waits for a
 * later event to close it. Dirty marks are kept in memory only (a store write per event cost more than the
 * rollup itself); instead, a task that starts (after a crash, a restart or a rebalance) treats every window it
 * restored as dirty and emits it again. Re-emitting a window is harmless: the stored rollup keeps the highest
 * revision and SLO evaluation replaces a window's previous revision.
 *
 * <p>Stream time is the latest event time seen by this task; it is saved at every emit, so after a restart it
 * may be up to one emit interval behind and late events are judged slightly more leniently, never more
 * strictly. An event later than the allowed lateness is not rolled up (it is still stored raw) and is counted.
 *
 * <p>Duplicates: an event id is remembered for the dedup horizon of stream time (between one and two horizons,
 * in buckets of one horizon), so a batch a gateway resends after a timeout or a 503 counts once. The horizon
 * bounds the state: about {@value #BYTES_PER_REMEMBERED_ID} bytes per id remembered, for up to two horizons of
 * traffic. A resend later than the horizon is counted again in rollups (the raw calls table still keeps it once).
 * A {@link RecentIds} filter in memory (about {@value RecentIds#STEADY_BYTES_PER_ID} bytes per id of the last two
 * horizons at a steady rate, at most {@value RecentIds#BYTES_PER_ID_BOUND}) says when an id is certainly new, so the
 * store is read only for the ids it may have seen: every duplicate, ~1 % of new ids, and every id in a bucket the
 * store was written in before the task started.
 * The last bucket written is kept beside the stream time, in the same transaction as the ids.
 */
final class RollupProcessor implements Processor<byte[], CallEvent, String, CallRollup> {

    static final String WINDOWS_STORE = "rollup-windows";
    static final String SEEN_STORE = "rollup-seen-event-ids";
    static final String STREAM_TIME_STORE = "rollup-stream-time";
    private static final String STREAM_TIME_KEY = "stream-time";
    private static final String DEDUP_BUCKET_KEY = "dedup-bucket";
    static final int BYTES_PER_REMEMBERED_ID = SeenIdsStore.BYTES_PER_REMEMBERED_ID;
    private static final Logger LOG = LoggerFactory.getLogger(RollupProcessor.class);

    private final LatenessPolicy lateness;
    private final Duration emitInterval;
    private final long dedupBucketMs;
    private final Counter tooLate;
    private final Counter duplicates;
    private final Counter rolledUp;
    private final Counter storeLookups;
    private RecentIds recentIds;
    private long storedDedupBucket = Long.MIN_VALUE;
    private ProcessorContext<String, CallRollup> context;
    private KeyValueStore<String, CallRollup> windows;
    private final Set<String> dirty = new LinkedHashSet<>();
    private SeenIdsStore seen;
    private KeyValueStore<String, Long> streamTimeStore;
    private long streamTimeMs = Long.MIN_VALUE;

    RollupProcessor(LatenessPolicy lateness, Duration emitInterval, Duration dedupHorizon, MeterRegistry registry) {
        this.lateness = lateness;
        this.emitInterval = emitInterval;
        this.dedupBucketMs = dedupHorizon.toMillis();
        this.tooLate = Counter.builder("mcp_processor_calls_too_late")
                .description("Calls older than the allowed lateness: stored raw, not in any rollup").register(registry);
        this.duplicates = Counter.builder("mcp_processor_calls_duplicate")
                .description("Calls whose event id was already rolled up (replays, retries)").register(registry);
        this.rolledUp = Counter.builder("mcp_processor_calls_rolled_up")
                .description("Calls counted into a one-minute rollup").register(registry);
        this.storeLookups = Counter.builder("mcp_processor_dedup_store_lookups")
                .description("Calls whose event id the in-memory filter could not clear, looked up in the dedup store")
                .register(registry);
    }

    @Override
    public void init(ProcessorContext<String, CallRollup> context) {
        this.context = context;
        this.windows = context.getStateStore(WINDOWS_STORE);
        this.seen = context.getStateStore(SEEN_STORE);
        this.streamTimeStore = context.getStateStore(STREAM_TIME_STORE);
        Long stored = streamTimeStore.get(STREAM_TIME_KEY);
        streamTimeMs = stored == null ? Long.MIN_VALUE : stored;
        Long dedupBucket = streamTimeStore.get(DEDUP_BUCKET_KEY);
        storedDedupBucket = dedupBucket == null ? Long.MIN_VALUE : dedupBucket;
        recentIds = new RecentIds(dedupBucketMs, lastBucketBeforeStart(dedupBucket, stored));
        try (KeyValueIterator<String, CallRollup> restored = windows.all()) {
            restored.forEachRemaining(entry -> dirty.add(entry.key));
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emitDirtyAndExpire());
    }

    @Override
    public void process(Record<byte[], CallEvent> record) {
        CallEvent call = record.value();
        if (call == null) {
            return;
        }
        long eventMs = call.envelope().ts().toEpochMilli();
        if (eventMs > streamTimeMs) {
            streamTimeMs = eventMs;
        }
        if (!lateness.acceptsIntoRollup(call.envelope().ts(), Instant.ofEpochMilli(streamTimeMs))) {
            tooLate.increment();
            LOG.debug("call {} at {} is beyond the allowed lateness; stored raw only", call.envelope().eventId(),
                    call.envelope().ts());
            return;
        }
        UUID eventId = call.envelope().eventId();
        long idHash = RecentIds.hash(eventId);
        long bucket = Math.floorDiv(streamTimeMs, dedupBucketMs) * dedupBucketMs;
        if (recentIds.mightHaveSeen(bucket, idHash) && seenInStore(eventId, bucket)) {
            duplicates.increment();
            return;
        }
        if (bucket > storedDedupBucket) {
            streamTimeStore.put(DEDUP_BUCKET_KEY, bucket);
            storedDedupBucket = bucket;
        }
        seen.add(eventId, bucket);
        recentIds.remember(bucket, idHash);
        RollupKey key = CallRollup.keyOf(call);
        String storeKey = key.storeKey();
        // the store holds the windows put since the last commit as objects (WriteBehindStore)
        CallRollup current = windows.get(storeKey);
        windows.put(storeKey, (current == null ? CallRollup.empty(key) : current).plus(call));
        dirty.add(storeKey);
        rolledUp.increment();
    }

    private boolean seenInStore(UUID eventId, long bucket) {
        storeLookups.increment();
        return seen.contains(eventId, bucket) || seen.contains(eventId, bucket - dedupBucketMs);
    }

    /**
     * The last bucket the dedup store may hold ids in. A store written before the dedup bucket was kept (an
     * upgrade) is judged by its stream time, saved at emits that may lag by an interval: the bucket after is taken
     * too.
     */
    private long lastBucketBeforeStart(Long dedupBucket, Long storedStreamTime) {
        if (dedupBucket != null) {
            return dedupBucket;
        }
        if (storedStreamTime == null) {
            return Long.MIN_VALUE;
        }
        return Math.floorDiv(storedStreamTime + emitInterval.toMillis(), dedupBucketMs) * dedupBucketMs + dedupBucketMs;
    }

    private void emitDirtyAndExpire() {
        for (String storeKey : dirty) {
            CallRollup rollup = windows.get(storeKey);
            if (rollup != null) {
                context.forward(new Record<>(storeKey, rollup, rollup.windowStart().toEpochMilli()));
            }
        }
        dirty.clear();
        if (streamTimeMs != Long.MIN_VALUE) {
            streamTimeStore.put(STREAM_TIME_KEY, streamTimeMs);
            expireFinalWindows();
        }
    }

    /** Drops windows no acceptable event can reach any more; they were emitted when last touched. */
    private void expireFinalWindows() {
        Instant cutoff = Instant.ofEpochMilli(streamTimeMs).minus(lateness.allowedLateness()).minus(RollupKey.WINDOW);
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, CallRollup> old = windows.range(RollupKey.timePrefix(Instant.EPOCH),
                RollupKey.timePrefix(cutoff))) {
            while (old.hasNext()) {
                KeyValue<String, CallRollup> entry = old.next();
                if (lateness.isFinal(entry.value.key(), Instant.ofEpochMilli(streamTimeMs))) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(windows::delete);
    }
}

package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.kafka.RollupStateSerde;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollup's deduplication across a restart: a new processor over the stores the last one left (as a task that
 * moved or restarted finds them restored from their changelogs) still counts a resend once, and in steady state the
 * store is read only for the ids the in-memory filter cannot clear.
 */
class RollupProcessorDedupTest {

    private static final Duration HORIZON = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MockProcessorContext<String, CallRollup> context;

    @BeforeEach
    void stores() {
        context = new MockProcessorContext<>();
        List<StateStore> stores = List.of(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RollupProcessor.WINDOWS_STORE),
                        Serdes.String(), RollupStateSerde.serde()).withLoggingDisabled().build(),
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RollupProcessor.STREAM_TIME_STORE),
                        Serdes.String(), Serdes.Long()).withLoggingDisabled().build());
        for (StateStore store : stores) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        SeenIdsStore seen = SeenIdsStore.builder(RollupProcessor.SEEN_STORE, HORIZON, false).withLoggingDisabled()
                .build();
        seen.init(context.getStateStoreContext(), seen);
        context.addStateStore(seen);
    }

    private RollupProcessor start() {
        RollupProcessor processor = new RollupProcessor(new LatenessPolicy(Duration.ofHours(6)), Duration.ofSeconds(1),
                HORIZON, registry);
        processor.init(context);
        return processor;
    }

    private static CallEvent call(UUID id, Instant ts) throws Exception {
        String json = """
                {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","server_version":"2.0",
                 "tool":"search","method":"tools/call","duration_ms":12,"outcome":"ok"}"""
                .formatted(id, ts).replace("\n", "");
        return (CallEvent) EventCodec.decodeTrusted(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void process(RollupProcessor processor, CallEvent call) {
        processor.process(new Record<>("github|search".getBytes(StandardCharsets.UTF_8), call,
                call.envelope().ts().toEpochMilli()));
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void newIdsSkipTheStoreAndDuplicatesAreFoundInIt() throws Exception {
        RollupProcessor processor = start();
        List<CallEvent> calls = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            calls.add(call(UUID.randomUUID(), T0.plusMillis(i)));
        }
        calls.forEach(call -> process(processor, call));
        double lookupsForNewIds = counter("mcp_processor_dedup_store_lookups");
        assertTrue(lookupsForNewIds < 60, "about 1 % of new ids are looked up in the store, was " + lookupsForNewIds);
        calls.subList(0, 100).forEach(call -> process(processor, call));
        assertEquals(100, counter("mcp_processor_calls_duplicate"));
        assertEquals(lookupsForNewIds + 100, counter("mcp_processor_dedup_store_lookups"), "every duplicate is looked up");
        assertEquals(2_000, counter("mcp_processor_calls_rolled_up"));
    }

    @Test
    void aResendAfterARestartCountsOnceInTheBucketWrittenBeforeAndTheNext() throws Exception {
        RollupProcessor before = start();
        CallEvent early = call(UUID.randomUUID(), T0);
        CallEvent nextBucket = call(UUID.randomUUID(), T0.plus(HORIZON));
        process(before, early);
        process(before, nextBucket);

        RollupProcessor restarted = start(); // a task restarted over the restored stores: its filter is empty
        process(restarted, early);
        process(restarted, nextBucket);
        process(restarted, call(UUID.randomUUID(), T0.plus(HORIZON).plusSeconds(5)));

        assertEquals(2, counter("mcp_processor_calls_duplicate"), "both resends are found in the store");
        assertEquals(3, counter("mcp_processor_calls_rolled_up"));
    }

    @Test
    void aStoreWrittenBeforeTheDedupBucketWasKeptIsReadByItsStreamTime() throws Exception {
        RollupProcessor before = start();
        CallEvent early = call(UUID.randomUUID(), T0);
        process(before, early);
        context.<org.apache.kafka.streams.state.KeyValueStore<String, Long>>getStateStore(
                RollupProcessor.STREAM_TIME_STORE).delete("dedup-bucket"); // as an older version left it
        context.<org.apache.kafka.streams.state.KeyValueStore<String, Long>>getStateStore(
                RollupProcessor.STREAM_TIME_STORE).put("stream-time", T0.toEpochMilli());

        process(start(), early);

        assertEquals(1, counter("mcp_processor_calls_duplicate"));
    }
}

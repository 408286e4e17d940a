package io.mcpslo.processor.sink;

import io.mcpslo.storage.pipeline.PipelineStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every table of {@link SinkTable#ALL}, each moved by its own {@link SinkLoop} on its own thread. */
public final class Sink implements AutoCloseable {

    private final List<SinkLoop<?>> loops = new ArrayList<>();

    public Sink(List<SinkTable<?>> tables, String bootstrapServers, PipelineStore store, SinkSettings settings,
                MeterRegistry registry, Clock clock) {
        var preparation = new StorePreparation(store);
        for (SinkTable<?> table : tables) {
            loops.add(new SinkLoop<>(table, bootstrapServers, store, preparation, settings, registry, clock));
        }
    }

    public Sink start() {
        for (SinkLoop<?> loop : loops) {
            new Thread(loop, "sink-" + loop.table().name()).start();
        }
        return this;
    }

    /** The tables whose rows the store does not take now, each with since when; empty while all is well. */
    public Map<String, Instant> unavailableTables() {
        Map<String, Instant> unavailable = new LinkedHashMap<>();
        for (SinkLoop<?> loop : loops) {
            Instant since = loop.unavailableSince();
            if (since != null) {
                unavailable.put(loop.table().name(), since);
            }
        }
        return unavailable;
    }

    @Override
    public void close() {
        // every loop flushes what it holds; closing them one after another would add their waits up
        List<Thread> closing = loops.stream().map(loop -> Thread.ofPlatform().start(loop::close)).toList();
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

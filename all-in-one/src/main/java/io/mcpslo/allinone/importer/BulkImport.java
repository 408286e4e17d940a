package io.mcpslo.allinone.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.ValidationOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The bulk path for past traffic: calls from NDJSON go straight to storage, raw and rolled up here, without the
 * stream. Only minutes the live stream can no longer touch are imported (older than the allowed lateness), and
 * only into windows with no stored rollup yet, so the two writers of a window never meet: a window the pipeline
 * already rolled up keeps its rollup, and the import's calls for it are stored raw only. A rollup row carries its
 * call count as revision, so a window written again later in the same import (out-of-order input) replaces its
 * earlier row. Audit events are refused: they must go through the collector, which chains them.
 */
public final class BulkImport {

    /** Which of these windows already have a stored rollup (keys as {@link RollupKey#storeKey()}). */
    public interface StoredWindows {
        Set<String> existing(Instant fromInclusive, Instant toInclusive);
    }

    public record Progress(long lines, long imported, long refused, long tooRecent, long bytesRead) {
    }

    public record LineError(long line, String reason) {
    }

    public record Summary(long lines, long imported, long refused, long tooRecent, long audits, long windowsWritten,
                          long windowsAlreadyStored, long callsInStoredWindows, List<LineError> firstErrors) {
    }

    static final int MAX_REPORTED_ERRORS = 10;

    private final PipelineStore store;
    private final StoredWindows storedWindows;
    private final EventValidator validator;
    private final Clock clock;
    private final Duration allowedLateness;
    private final int rawBatch;

    public BulkImport(PipelineStore store, StoredWindows storedWindows, Clock clock, Duration allowedLateness,
                      int rawBatch) {
        this.store = store;
        this.storedWindows = storedWindows;
        this.validator = new EventValidator(clock);
        this.clock = clock;
        this.allowedLateness = allowedLateness;
        this.rawBatch = rawBatch;
    }

    /**
     * Reads every line, stores what it may, and reports each {@code progressEvery} lines.
     * {@code bytesRead} is supplied by the caller (the file position), since only it knows the compression.
     */
    public Summary run(BufferedReader input, java.util.function.LongSupplier bytesRead, int progressEvery,
                       Consumer<Progress> progress) throws IOException {
        try (BackgroundWriter writer = new BackgroundWriter()) {
            return run(input, bytesRead, progressEvery, progress, writer);
        }
    }

    private Summary run(BufferedReader input, java.util.function.LongSupplier bytesRead, int progressEvery,
                        Consumer<Progress> progress, BackgroundWriter writer) throws IOException {
        Instant openFrom = RollupKey.windowStartOf(clock.instant().minus(allowedLateness));
        Map<String, CallRollup> windows = new HashMap<>();
        Set<String> dirty = new HashSet<>();
        Set<String> written = new HashSet<>();
        Set<String> foreign = new HashSet<>();
        List<CallEvent> raw = new ArrayList<>(rawBatch);
        List<LineError> errors = new ArrayList<>();
        long lines = 0;
        long imported = 0;
        long refused = 0;
        long tooRecent = 0;
        long audits = 0;
        String line;
        while ((line = input.readLine()) != null) {
            lines++;
            if (line.isBlank()) {
                continue;
            }
            String problem;
            try {
                byte[] json = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                switch (validator.validate(json, 0, json.length)) {
                    case ValidationOutcome.Accepted accepted when accepted.event() instanceof CallEvent call -> {
                        if (!call.envelope().ts().isBefore(openFrom)) {
                            tooRecent++;
                            problem = null;
                        } else {
                            raw.add(call);
                            RollupKey key = CallRollup.keyOf(call);
                            String storeKey = key.storeKey();
                            windows.compute(storeKey, (ignored, old) -> (old == null ? CallRollup.empty(key) : old)
                                    .plus(call));
                            dirty.add(storeKey);
                            imported++;
                            problem = null;
                        }
                    }
                    case ValidationOutcome.Accepted accepted -> {
                        audits++;
                        problem = "audit events are not imported (they are hash-chained): send them to the collector";
                    }
                    case ValidationOutcome.Rejected rejected -> problem = rejected.summary();
                }
            } catch (JsonProcessingException e) {
                problem = "malformed JSON: " + e.getOriginalMessage();
            }
            if (problem != null) {
                refused++;
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(new LineError(lines, problem));
                }
            }
            if (raw.size() >= rawBatch) {
                List<CallEvent> batch = raw;
                writer.submit(() -> store.writeCalls(batch));
                raw = new ArrayList<>(rawBatch);
                flushWindows(windows, dirty, written, foreign, writer);
            }
            if (lines % progressEvery == 0) {
                progress.accept(new Progress(lines, imported, refused, tooRecent, bytesRead.getAsLong()));
            }
        }
        if (!raw.isEmpty()) {
            List<CallEvent> batch = raw;
            writer.submit(() -> store.writeCalls(batch));
        }
        flushWindows(windows, dirty, written, foreign, writer);
        writer.awaitAll();
        long foreignCalls = foreign.stream().mapToLong(key -> windows.get(key).counts().calls()).sum();
        progress.accept(new Progress(lines, imported, refused, tooRecent, bytesRead.getAsLong()));
        return new Summary(lines, imported, refused, tooRecent, audits, written.size(), foreign.size(), foreignCalls,
                List.copyOf(errors));
    }

    /** Writes the windows changed since the last flush, except those the pipeline rolled up before the import. */
    private void flushWindows(Map<String, CallRollup> windows, Set<String> dirty, Set<String> written,
                              Set<String> foreign, BackgroundWriter writer) {
        if (dirty.isEmpty()) {
            return;
        }
        List<CallRollup> changed = dirty.stream().map(windows::get).toList();
        Instant from = changed.stream().map(CallRollup::windowStart).min(Instant::compareTo).orElseThrow();
        Instant to = changed.stream().map(CallRollup::windowStart).max(Instant::compareTo).orElseThrow();
        Set<String> stored = storedWindows.existing(from, to);
        List<CallRollup> toWrite = new ArrayList<>();
        for (CallRollup rollup : changed) {
            String storeKey = rollup.key().storeKey();
            if (foreign.contains(storeKey) || (stored.contains(storeKey) && !written.contains(storeKey))) {
                foreign.add(storeKey);
                continue;
            }
            toWrite.add(rollup);
            written.add(storeKey);
        }
        if (!toWrite.isEmpty()) {
            writer.submit(() -> store.writeRollups(toWrite));
        }
        dirty.clear();
    }

    /**
     * Inserts run on one thread beside the parsing, at most two waiting, in order. A failed insert stops the import
     * at the next submit with its cause (ClickHouse down, a refused row): nothing after it is written.
     */
    private static final class BackgroundWriter implements AutoCloseable {
        private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(
                runnable -> Thread.ofPlatform().daemon().name("import-writer").unstarted(runnable));
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(2);
        private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();

        void submit(Runnable write) {
            rethrow();
            slots.acquireUninterruptibly();
            thread.execute(() -> {
                try {
                    if (failure.get() == null) {
                        write.run();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    slots.release();
                }
            });
        }

        void awaitAll() {
            slots.acquireUninterruptibly(2);
            slots.release(2);
            rethrow();
        }

        private void rethrow() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        @Override
        public void close() {
            thread.shutdown();
        }
    }
}

package io.mcpslo.allinone.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.ValidationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The bulk path for past traffic: calls from NDJSON go straight to storage, raw and rolled up here, without the
 * stream. Only minutes the live stream can no longer touch are imported (older than the allowed lateness), and
 * only into windows with no stored rollup yet, so the two writers of a window never meet: a window the pipeline
 * already rolled up keeps its rollup, and the import's calls for it are stored raw only. A rollup row carries its
 * call count as revision, so a window written again later in the same import (out-of-order input) replaces its
 * earlier row. Audit events are refused: they must go through the collector, which chains them.
 */
public final class BulkImport {

    /** Which windows starting in [from, to] already have a stored rollup. */
    public interface StoredWindows {
        Set<RollupKey> existing(Instant fromInclusive, Instant toInclusive);
    }

    public record Progress(long lines, long imported, long refused, long tooRecent, long bytesRead) {
    }

    public record LineError(long line, String reason) {
    }

    public record Summary(long lines, long imported, long refused, long tooRecent, long audits, long windowsWritten,
                          long windowsAlreadyStored, long callsInStoredWindows, List<LineError> firstErrors) {
    }

    static final int MAX_REPORTED_ERRORS = 10;
    /** A call event is a few hundred bytes; a line this long is not one event. */
    static final int MAX_LINE_BYTES = 1 << 20;

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
    public Summary run(InputStream input, LongSupplier bytesRead, int progressEvery, Consumer<Progress> progress)
            throws IOException {
        try (BackgroundWriter writer = new BackgroundWriter()) {
            return run(input, bytesRead, progressEvery, progress, writer);
        }
    }

    private Summary run(InputStream input, LongSupplier bytesRead, int progressEvery, Consumer<Progress> progress,
                        BackgroundWriter writer) throws IOException {
        Instant openFrom = RollupKey.windowStartOf(clock.instant().minus(allowedLateness));
        Windows windows = new Windows();
        List<CallEvent> raw = new ArrayList<>(rawBatch);
        List<LineError> errors = new ArrayList<>();
        ByteLines lineReader = new ByteLines(input, MAX_LINE_BYTES);
        long lines = 0;
        long imported = 0;
        long refused = 0;
        long tooRecent = 0;
        long audits = 0;
        while (lineReader.next()) {
            lines++;
            String problem = null;
            if (lineReader.tooLong()) {
                problem = "line longer than " + MAX_LINE_BYTES + " bytes (one event per line)";
            } else if (lineReader.blank()) {
                continue;
            } else {
                try {
                    switch (validator.validate(lineReader.bytes(), lineReader.offset(), lineReader.length())) {
                        case ValidationOutcome.Accepted accepted when accepted.event() instanceof CallEvent call -> {
                            if (!call.envelope().ts().isBefore(openFrom)) {
                                tooRecent++;
                            } else {
                                raw.add(call);
                                windows.add(call);
                                imported++;
                            }
                        }
                        case ValidationOutcome.Accepted accepted -> {
                            audits++;
                            problem = "audit events are not imported (they are hash-chained): send them to the "
                                    + "collector";
                        }
                        case ValidationOutcome.Rejected rejected -> problem = rejected.summary();
                    }
                } catch (JsonProcessingException e) {
                    problem = "malformed JSON: " + e.getOriginalMessage();
                }
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
                windows.flush(writer, false);
            }
            if (lines % progressEvery == 0) {
                progress.accept(new Progress(lines, imported, refused, tooRecent, bytesRead.getAsLong()));
            }
        }
        if (!raw.isEmpty()) {
            List<CallEvent> batch = raw;
            writer.submit(() -> store.writeCalls(batch));
        }
        windows.flush(writer, true);
        writer.awaitAll();
        progress.accept(new Progress(lines, imported, refused, tooRecent, bytesRead.getAsLong()));
        return new Summary(lines, imported, refused, tooRecent, audits, windows.written.size(),
                windows.foreign.size(), windows.foreignCalls(), List.copyOf(errors));
    }

    /**
     * The import's rollups. A window is written once the input has moved past its minute (every call of the last
     * batch of lines was later), and the rest at the end: time-ordered input writes each window about once as it
     * goes, shuffled input once at the end, not once per batch. Whether a window was rolled up before the import is asked of the store once per minute,
     * before the import writes anything in that minute, so the import's own rows never count as foreign.
     */
    private final class Windows {
        private final Map<RollupKey, Window> rollups = new HashMap<>();
        /** Changed windows by minute: a flush takes the minutes the input moved past without looking at the rest. */
        private final TreeMap<Long, List<Window>> dirtyByMinute = new TreeMap<>();
        private long earliestMinuteOfBatch = Long.MAX_VALUE;
        private final Set<RollupKey> written = new HashSet<>();
        private final Set<RollupKey> foreign = new HashSet<>();
        private final Set<RollupKey> storedBefore = new HashSet<>();
        private final Set<Instant> minutesChecked = new HashSet<>();

        /** One window's rollup so far, and whether it changed since the last flush (one map lookup per call). */
        private static final class Window {
            CallRollup rollup;
            boolean dirty;

            Window(RollupKey key) {
                this.rollup = CallRollup.empty(key);
            }
        }

        void add(CallEvent call) {
            Window window = rollups.computeIfAbsent(CallRollup.keyOf(call), Window::new);
            window.rollup = window.rollup.plus(call);
            earliestMinuteOfBatch = Math.min(earliestMinuteOfBatch, window.rollup.windowStart().toEpochMilli());
            if (!window.dirty) {
                window.dirty = true;
                dirtyByMinute.computeIfAbsent(window.rollup.windowStart().toEpochMilli(), minute -> new ArrayList<>())
                        .add(window);
            }
        }

        /**
         * Writes the changed windows the input has moved past ({@code everything}: all changed windows), except
         * those the pipeline rolled up before.
         */
        void flush(BackgroundWriter writer, boolean everything) {
            SortedMap<Long, List<Window>> movedPast = everything ? dirtyByMinute
                    : dirtyByMinute.headMap(earliestMinuteOfBatch);
            List<Window> ready = new ArrayList<>();
            movedPast.values().forEach(ready::addAll);
            movedPast.clear();
            earliestMinuteOfBatch = Long.MAX_VALUE;
            if (ready.isEmpty()) {
                return;
            }
            Set<Instant> unchecked = new HashSet<>();
            for (Window window : ready) {
                if (!minutesChecked.contains(window.rollup.windowStart())) {
                    unchecked.add(window.rollup.windowStart());
                }
            }
            if (!unchecked.isEmpty()) {
                Instant from = unchecked.stream().min(Instant::compareTo).orElseThrow();
                Instant to = unchecked.stream().max(Instant::compareTo).orElseThrow();
                for (RollupKey stored : storedWindows.existing(from, to)) {
                    if (unchecked.contains(stored.windowStart())) {
                        storedBefore.add(stored);
                    }
                }
                minutesChecked.addAll(unchecked);
            }
            List<CallRollup> toWrite = new ArrayList<>();
            for (Window window : ready) {
                window.dirty = false;
                RollupKey key = window.rollup.key();
                if (storedBefore.contains(key)) {
                    foreign.add(key);
                } else {
                    toWrite.add(window.rollup);
                    written.add(key);
                }
            }
            for (int from = 0; from < toWrite.size(); from += rawBatch) {
                List<CallRollup> chunk = toWrite.subList(from, Math.min(toWrite.size(), from + rawBatch));
                writer.submit(() -> store.writeRollups(chunk));
            }
        }

        long foreignCalls() {
            return foreign.stream().mapToLong(key -> rollups.get(key).rollup.counts().calls()).sum();
        }
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

        /** Lets the inserts already queued finish (or fail), so nothing is still writing once the import returns. */
        @Override
        public void close() {
            thread.shutdown();
            try {
                thread.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

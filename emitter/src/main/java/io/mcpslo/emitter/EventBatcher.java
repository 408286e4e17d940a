package io.mcpslo.emitter;

import io.mcpslo.schemas.McpEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The emitter's one thread and its bounded queue. The request path only offers (never waits: a full queue drops the
 * observation and counts it); this thread turns observations into events, sends them in batches, retries a batch
 * while the collector is down, and drops it, counted, once its tries are spent. Close flushes what is queued.
 */
final class EventBatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventBatcher.class.getName());
    static final String DROPPED = "mcp.emitter.events.dropped";
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final EmitterSettings settings;
    private final CollectorClient collector;
    private final BlockingQueue<Supplier<List<McpEvent>>> queue;
    private final List<Runnable> periodicChecks = new CopyOnWriteArrayList<>();
    private final Counter sent;
    private final Counter rejected;
    private final MeterRegistry registry;
    private final Thread thread;
    private volatile boolean closing;

    EventBatcher(EmitterSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.collector = new CollectorClient(settings);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.sent = Counter.builder("mcp.emitter.events.sent").description("events the collector stored")
                .register(registry);
        this.rejected = Counter.builder("mcp.emitter.events.rejected")
                .description("events the collector refused as invalid (422)").register(registry);
        Gauge.builder("mcp.emitter.queue.size", queue, BlockingQueue::size)
                .description("observations waiting to be sent").register(registry);
        this.thread = Thread.ofPlatform().daemon().name("mcp-slo-emitter").unstarted(this::run);
        thread.start();
    }

    /** Queues what will become events; never blocks. False (and counted) when the queue is full or closed. */
    boolean offer(Supplier<List<McpEvent>> events) {
        if (closing) {
            dropped("closed", 1);
            return false;
        }
        if (!queue.offer(events)) {
            dropped("queue_full", 1);
            return false;
        }
        return true;
    }

    /** Runs {@code check} on the emitter's thread at least once per flush interval (request time-outs). */
    void everyFlush(Runnable check) {
        periodicChecks.add(check);
    }

    void stopChecking(Runnable check) {
        periodicChecks.remove(check);
    }

    private void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                runChecks();
                List<McpEvent> batch = nextBatch();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            }
        } catch (InterruptedException e) {
            // close() ran out of time: what is still queued is counted there
        }
    }

    /** Waits for a first observation, then for the batch to fill until the flush interval has passed. */
    private List<McpEvent> nextBatch() throws InterruptedException {
        List<McpEvent> batch = new ArrayList<>();
        long flushNanos = settings.flushInterval().toNanos();
        Supplier<List<McpEvent>> next = pollUntil(System.nanoTime() + flushNanos);
        long deadline = System.nanoTime() + flushNanos;
        while (next != null) {
            addEvents(next, batch);
            if (batch.size() >= settings.batchSize()) {
                break;
            }
            next = pollUntil(deadline);
        }
        return batch;
    }

    /** The next observation, waiting until {@code deadline} at most; once closing, only what is already queued. */
    private Supplier<List<McpEvent>> pollUntil(long deadline) throws InterruptedException {
        while (true) {
            if (closing) {
                return queue.poll();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            // in slices, so that close() is noticed without waiting out a long flush interval
            var next = queue.poll(Math.min(remaining, CLOSE_CHECK_NANOS), TimeUnit.NANOSECONDS);
            if (next != null) {
                return next;
            }
        }
    }

    private void addEvents(Supplier<List<McpEvent>> observation, List<McpEvent> batch) {
        try {
            batch.addAll(observation.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "mcp-slo emitter: could not map an observation; dropped", e);
            dropped("unmappable", 1);
        }
    }

    private void deliver(List<McpEvent> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            CollectorClient.Delivery delivery;
            try {
                delivery = collector.post(batch);
            } catch (InterruptedException e) {
                dropped("closed", batch.size());
                throw e;
            }
            switch (delivery) {
                case CollectorClient.Answered answered -> {
                    sent.increment(answered.accepted());
                    if (answered.rejected() > 0) {
                        rejected.increment(answered.rejected());
                        LOG.log(Level.WARNING, "mcp-slo collector refused {0} of {1} events: {2}",
                                answered.rejected(), batch.size(), answered.errors());
                    }
                    return;
                }
                case CollectorClient.Refused refused -> {
                    LOG.log(Level.WARNING, "mcp-slo collector refused a batch of {0} events with HTTP {1}: {2}",
                            batch.size(), refused.status(), refused.body());
                    dropped("refused", batch.size());
                    return;
                }
                case CollectorClient.TryAgain tryAgain -> {
                    if (attempt >= settings.maxAttempts()) {
                        LOG.log(Level.WARNING, "mcp-slo collector unreachable after {0} tries ({1}); dropped {2} events",
                                attempt, tryAgain.why(), batch.size());
                        dropped("pipeline_down", batch.size());
                        return;
                    }
                    Thread.sleep(backoff(attempt).toMillis());
                }
            }
        }
    }

    private Duration backoff(int attempt) {
        return settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 5));
    }

    private void runChecks() {
        for (Runnable check : periodicChecks) {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "mcp-slo emitter: a periodic check failed", e);
            }
        }
    }

    void dropped(String reason, int events) {
        Counter.builder(DROPPED).tag("reason", reason)
                .description("events never sent: queue full, collector down or refusing, emitter closed")
                .register(registry).increment(events);
    }

    /** Sends what is queued (within the close timeout), then stops; anything left is counted as dropped. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(settings.closeTimeout().toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(settings.closeTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Supplier<List<McpEvent>>> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            dropped("closed", left.size());
        }
    }
}

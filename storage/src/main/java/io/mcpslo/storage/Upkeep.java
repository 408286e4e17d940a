package io.mcpslo.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Periodic work a back end needs, run by whoever hosts it every {@code every} (first at {@code firstAfter}); a pass
 * that fails is logged and tried again at the next period.
 */
public record Upkeep(String name, Duration firstAfter, Duration every, Consumer<Instant> pass) {

    public Upkeep {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("upkeep " + name + " needs a positive period, not " + every);
        }
    }

    /** Schedules every piece of upkeep on the executor; a failed pass goes to {@code failed} and runs again later. */
    public static void scheduleAll(List<Upkeep> upkeep, ScheduledExecutorService executor, Clock clock,
                                   BiConsumer<Upkeep, RuntimeException> failed) {
        for (Upkeep work : upkeep) {
            executor.scheduleWithFixedDelay(() -> {
                try {
                    work.pass().accept(clock.instant());
                } catch (RuntimeException e) {
                    failed.accept(work, e);
                }
            }, work.firstAfter().toMillis(), work.every().toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}

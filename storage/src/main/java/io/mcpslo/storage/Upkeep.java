package io.mcpslo.storage;

import java.time.Duration;
import java.time.Instant;
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
}

package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;

/** The last {@code length} up to now, in whole minutes. */
public record RollingWindow(Duration length) implements SloWindow {

    public static final Duration MAX = Duration.ofDays(400);

    public RollingWindow {
        if (length.compareTo(Duration.ofHours(1)) < 0 || length.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("a rolling window must be between 1h and 400d, was " + length);
        }
        if (length.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("a rolling window must be whole minutes, was " + length);
        }
    }

    @Override
    public Instant start(Instant now) {
        return now.minus(length);
    }

    @Override
    public Instant end(Instant now) {
        return now;
    }

    @Override
    public Duration nominalLength() {
        return length;
    }

    @Override
    public Duration maxLength() {
        return length;
    }

    @Override
    public String describe() {
        return DurationText.format(length) + " rolling";
    }
}

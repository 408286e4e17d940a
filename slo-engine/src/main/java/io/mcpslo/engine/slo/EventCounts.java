package io.mcpslo.engine.slo;

/** Good and bad events of an SLI over some span of time. */
public record EventCounts(long good, long bad) {

    public static final EventCounts NONE = new EventCounts(0, 0);

    public EventCounts {
        if (good < 0 || bad < 0) {
            throw new IllegalArgumentException("event counts must be >= 0");
        }
    }

    public long total() {
        return good + bad;
    }

    public EventCounts plus(EventCounts other) {
        return new EventCounts(good + other.good, bad + other.bad);
    }

    public EventCounts minus(EventCounts part) {
        return new EventCounts(good - part.good, bad - part.bad);
    }

    /** bad / total, or 0 when there were no events. */
    public double errorRatio() {
        return total() == 0 ? 0 : (double) bad / total();
    }
}

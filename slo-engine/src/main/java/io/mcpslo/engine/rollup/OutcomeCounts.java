package io.mcpslo.engine.rollup;

import io.mcpslo.schemas.Outcome;

/** How many calls ended each way. {@code calls} is the sum of the others. */
public record OutcomeCounts(long ok, long toolError, long transportError, long denied, long rateLimited) {

    public static final OutcomeCounts ZERO = new OutcomeCounts(0, 0, 0, 0, 0);

    public OutcomeCounts {
        if (ok < 0 || toolError < 0 || transportError < 0 || denied < 0 || rateLimited < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    public long calls() {
        return ok + toolError + transportError + denied + rateLimited;
    }

    public long count(Outcome outcome) {
        return switch (outcome) {
            case OK -> ok;
            case TOOL_ERROR -> toolError;
            case TRANSPORT_ERROR -> transportError;
            case DENIED -> denied;
            case RATE_LIMITED -> rateLimited;
        };
    }

    public OutcomeCounts plusOne(Outcome outcome) {
        return switch (outcome) {
            case OK -> new OutcomeCounts(ok + 1, toolError, transportError, denied, rateLimited);
            case TOOL_ERROR -> new OutcomeCounts(ok, toolError + 1, transportError, denied, rateLimited);
            case TRANSPORT_ERROR -> new OutcomeCounts(ok, toolError, transportError + 1, denied, rateLimited);
            case DENIED -> new OutcomeCounts(ok, toolError, transportError, denied + 1, rateLimited);
            case RATE_LIMITED -> new OutcomeCounts(ok, toolError, transportError, denied, rateLimited + 1);
        };
    }

    public OutcomeCounts plus(OutcomeCounts other) {
        return new OutcomeCounts(ok + other.ok, toolError + other.toolError, transportError + other.transportError,
                denied + other.denied, rateLimited + other.rateLimited);
    }

    /** These counts less {@code part}'s; refuses to go below zero. */
    public OutcomeCounts minus(OutcomeCounts part) {
        return new OutcomeCounts(ok - part.ok, toolError - part.toolError, transportError - part.transportError,
                denied - part.denied, rateLimited - part.rateLimited);
    }
}

package io.mcpslo.storage;

/**
 * The storage cannot answer now: unreachable, or it refused a read or write for its own reasons. Callers retry later
 * (the sink) or answer 503 (the API); the message says what the back end answered, without secrets.
 */
public class StorageUnavailable extends RuntimeException {

    private final boolean unreachable;

    public StorageUnavailable(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    /** True when the back end could not be reached at all (as opposed to reached and refusing). */
    public boolean unreachable() {
        return unreachable;
    }
}

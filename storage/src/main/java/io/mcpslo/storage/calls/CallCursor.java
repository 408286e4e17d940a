package io.mcpslo.storage.calls;

import io.mcpslo.storage.CursorText;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a page of calls ended, newest first: the last row's (ts_ms, event_id), unique per call, so paging is stable
 * however many calls share a millisecond.
 */
public record CallCursor(long tsMs, UUID eventId) {

    public String encode() {
        return CursorText.encode(tsMs, eventId);
    }

    /** The cursor a client sent back, or empty when it is not one of ours. */
    public static Optional<CallCursor> decode(String text) {
        return CursorText.decode(text, 2).flatMap(parts -> {
            try {
                return Optional.of(new CallCursor(Long.parseLong(parts[0]), UUID.fromString(parts[1])));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}

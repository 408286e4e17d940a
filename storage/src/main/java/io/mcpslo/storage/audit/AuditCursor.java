package io.mcpslo.storage.audit;

import io.mcpslo.storage.CursorText;
import java.util.Optional;

/**
 * Where a page of the audit log ended, newest first: the last row's (ts_ms, event_id, chain partition, chain
 * seq), which together are unique, so paging is stable even when thousands of events share a timestamp.
 */
public record AuditCursor(long tsMs, String eventId, long partition, long seq) {

    public String encode() {
        return CursorText.encode(tsMs, eventId, partition, seq);
    }

    /** The cursor a client sent back, or empty when it is not one of ours. */
    public static Optional<AuditCursor> decode(String text) {
        return CursorText.decode(text, 4).filter(parts -> parts[1].matches("[0-9a-fA-F-]{36}")).flatMap(parts -> {
            try {
                return Optional.of(new AuditCursor(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]),
                        Long.parseLong(parts[3])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}

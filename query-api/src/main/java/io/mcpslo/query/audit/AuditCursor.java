package io.mcpslo.query.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of the audit log ended, newest first: the last row's (ts_ms, event_id, chain partition, chain
 * seq), which together are unique, so paging is stable even when thousands of events share a timestamp.
 */
public record AuditCursor(long tsMs, String eventId, long partition, long seq) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((tsMs + "|" + eventId + "|" + partition + "|" + seq)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back, or empty when it is not one of ours. */
    public static Optional<AuditCursor> decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 4 || !parts[1].matches("[0-9a-fA-F-]{36}")) {
                return Optional.empty();
            }
            return Optional.of(new AuditCursor(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]),
                    Long.parseLong(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

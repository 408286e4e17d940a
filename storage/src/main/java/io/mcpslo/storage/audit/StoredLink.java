package io.mcpslo.storage.audit;

import java.util.Map;

/** One audit log row as stored: the hashed field texts, the event time and its chain link. */
public record StoredLink(Map<String, String> textFields, long tsMs, int partition, long seq, String prevHash,
                         String hash) {

    public StoredLink {
        textFields = Map.copyOf(textFields);
    }

    public String eventId() {
        return textFields.getOrDefault("event_id", "");
    }
}

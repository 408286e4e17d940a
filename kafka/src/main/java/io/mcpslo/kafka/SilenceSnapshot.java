package io.mcpslo.kafka;

import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The silences as a reader of the compacted silences topic knows them after some prefix of it: the last revision of
 * each id, as compaction itself keeps it. Immutable, so a reader can hand it out while it reads on. Records that
 * are not a silence revision of their key are skipped and counted; a tombstone (null value) forgets the id.
 */
public record SilenceSnapshot(Map<String, SilenceRevision> byId, long skipped) {

    public static final SilenceSnapshot EMPTY = new SilenceSnapshot(Map.of(), 0);

    /** One record of the topic: its key and its value bytes (null for a tombstone). */
    public record Change(String key, byte[] value) {
    }

    public SilenceSnapshot {
        byId = Map.copyOf(byId);
    }

    /** This snapshot with {@code changes} applied in topic order. */
    public SilenceSnapshot apply(List<Change> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<String, SilenceRevision> next = new HashMap<>(byId);
        long skippedNow = skipped;
        for (Change change : changes) {
            if (change.key() == null) {
                skippedNow++;
            } else if (change.value() == null) {
                next.remove(change.key());
            } else {
                try {
                    SilenceRevision revision = SilenceMessages.decode(change.value());
                    if (!revision.silence().id().equals(change.key())) {
                        // compaction keeps one record per key: a record under another silence's key cannot be trusted
                        throw new IllegalArgumentException("keyed " + change.key() + " but holds silence "
                                + revision.silence().id());
                    }
                    next.put(change.key(), revision);
                } catch (IllegalArgumentException e) {
                    skippedNow++;
                }
            }
        }
        return new SilenceSnapshot(next, skippedNow);
    }

    /** Silences in force at {@code now}. */
    public List<Silence> active(Instant now) {
        return byId.values().stream().map(SilenceRevision::silence).filter(silence -> silence.activeAt(now)).toList();
    }

    /** Silences that end after {@code now} (in force or still to come), latest start first. */
    public List<Silence> unexpired(Instant now) {
        return newestFirst().filter(silence -> silence.endsAt().isAfter(now)).toList();
    }

    /** Every silence, latest start first, at most {@code limit}. */
    public List<Silence> all(int limit) {
        return newestFirst().limit(Math.max(1, limit)).toList();
    }

    public Optional<Silence> find(String id) {
        return Optional.ofNullable(byId.get(id)).map(SilenceRevision::silence);
    }

    private java.util.stream.Stream<Silence> newestFirst() {
        return byId.values().stream().map(SilenceRevision::silence)
                .sorted(Comparator.comparing(Silence::startsAt).reversed().thenComparing(Silence::id));
    }
}

package io.mcpslo.query.store;

import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.kafka.SilenceMessages;
import io.mcpslo.kafka.SilenceSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Silences held in this process only, through the same snapshot the topic's readers use: for tests and benchmarks. */
public final class InMemorySilenceStore implements SilenceStore {

    private SilenceSnapshot snapshot = SilenceSnapshot.EMPTY;

    @Override
    public synchronized void publish(SilenceRevision revision) {
        snapshot = snapshot.apply(List.of(new SilenceSnapshot.Change(revision.silence().id(),
                SilenceMessages.encode(revision))));
    }

    @Override
    public synchronized List<Silence> silences(boolean includeExpired, Instant now) {
        return includeExpired ? snapshot.all(1_000) : snapshot.unexpired(now);
    }

    @Override
    public synchronized Optional<Silence> silence(String id) {
        return snapshot.find(id);
    }
}

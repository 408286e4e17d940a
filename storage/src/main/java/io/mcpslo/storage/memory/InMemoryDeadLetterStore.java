package io.mcpslo.storage.memory;

import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.DeadLetterStore;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The dead letters the pipeline holds, read as {@code sink_dead_letters} answers. */
final class InMemoryDeadLetterStore implements DeadLetterStore {

    private static final Comparator<StoredDeadLetter> NEWEST_FIRST = Comparator
            .comparing(StoredDeadLetter::at, Comparator.reverseOrder()).thenComparing(StoredDeadLetter::topic)
            .thenComparingInt(StoredDeadLetter::partition).thenComparingLong(StoredDeadLetter::offset);

    private final InMemoryPipelineStore pipeline;

    InMemoryDeadLetterStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public List<StoredDeadLetter> recent(Instant from, Instant to, Optional<String> table, int limit) {
        // the range is on the letter's second (column at), the order on its millisecond (at_ms)
        return pipeline.deadLetters().stream()
                .filter(letter -> Times.inSeconds(letter.at(), from, to))
                .filter(letter -> table.map(letter.table()::equals).orElse(true))
                .map(InMemoryDeadLetterStore::stored).sorted(NEWEST_FIRST).limit(Math.max(0, limit)).toList();
    }

    private static StoredDeadLetter stored(DeadLetter letter) {
        byte[] payload = letter.payload();
        return new StoredDeadLetter(Instant.ofEpochMilli(letter.at().toEpochMilli()), letter.topic(),
                letter.partition(), letter.offset(), letter.table(), Printable.of(letter.reason(), 4_000),
                payload.length, Base64.getEncoder().encodeToString(payload));
    }
}

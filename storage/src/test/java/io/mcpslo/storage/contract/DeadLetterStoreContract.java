package io.mcpslo.storage.contract;

import static io.mcpslo.storage.contract.Seeds.HOSTILE;
import static io.mcpslo.storage.contract.Seeds.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.DeadLetterStore.StoredDeadLetter;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link io.mcpslo.storage.pipeline.DeadLetterStore} answers for letters the sink wrote. */
public abstract class DeadLetterStoreContract extends StoreContract {

    private static final Instant TO = T0.plusSeconds(3_600);

    private static DeadLetter letter(String topic, int partition, long offset, String table, Instant at) {
        return new DeadLetter(topic, partition, offset, table, "refused", new byte[] {1, 2, 3}, at);
    }

    private List<String> places(Optional<String> table, int limit) {
        return storage.deadLetters().recent(T0, TO, table, limit).stream()
                .map(letter -> letter.topic() + "/" + letter.partition() + "/" + letter.offset()).toList();
    }

    @Test
    public void recentLettersAreNewestFirstInTheRangeOnceEachFilteredAndLimited() {
        List<DeadLetter> letters = List.of(
                letter("calls", 0, 7, "calls", T0.plusMillis(1_500)),
                letter("calls", 1, 3, "calls", T0.plusSeconds(30)),
                letter("alerts", 0, 9, "alert_events", T0.plusSeconds(30)),
                letter("calls", 0, 8, "calls", T0.plusSeconds(600)),
                letter("calls", 0, 1, "calls", T0.minusSeconds(1)),
                letter("calls", 0, 2, "calls", TO));
        storage.pipeline().writeDeadLetters(letters);
        storage.pipeline().writeDeadLetters(letters); // a replayed batch

        assertEquals(List.of("calls/0/8", "alerts/0/9", "calls/1/3", "calls/0/7"), places(Optional.empty(), 100),
                "newest first, ties by topic, partition and offset; the end excluded");
        assertEquals(List.of("calls/0/8", "calls/1/3", "calls/0/7"), places(Optional.of("calls"), 100));
        assertEquals(List.of("calls/0/8", "alerts/0/9"), places(Optional.empty(), 2));
        assertEquals(List.of(), places(Optional.of(HOSTILE), 100));
        assertEquals(T0.plusMillis(1_500), storage.deadLetters().recent(T0, TO, Optional.empty(), 100).get(3).at(),
                "kept to the millisecond");
    }

    @Test
    public void theOriginalBytesComeBackExactlyAndTheReasonAsPrintableText() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        String longReason = "x".repeat(5_000);
        storage.pipeline().writeDeadLetters(List.of(
                new DeadLetter("calls", 0, 1, "calls", "bad\u0000row\nhere\ud800", everyByte, T0.plusSeconds(3)),
                new DeadLetter("calls", 0, 2, "calls", longReason, null, T0.plusSeconds(2))));

        List<StoredDeadLetter> letters = storage.deadLetters().recent(T0, TO, Optional.empty(), 10);

        StoredDeadLetter binary = letters.get(0);
        assertEquals(256, binary.payloadBytes());
        assertArrayEquals(everyByte, Base64.getDecoder().decode(binary.payloadBase64()));
        assertEquals("bad\ufffdrow\ufffdhere\ufffd", binary.reason(), "controls and lone surrogates replaced");
        StoredDeadLetter empty = letters.get(1);
        assertEquals(0, empty.payloadBytes());
        assertEquals("", empty.payloadBase64());
        assertEquals(4_000, empty.reason().length(), "a reason is cut to 4,000 characters");
    }
}

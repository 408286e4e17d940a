package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetTest {

    @Test
    void keepsTheRowsAfterTheLastOneInDescendingKeyOrder() {
        assertEquals("(ts_ms < 5 OR (ts_ms = 5 AND event_id < 'b'))",
                Keyset.olderThan(List.of("ts_ms", "event_id"), List.of("5", "'b'")));
        assertEquals("seq < 3", Keyset.olderThan(List.of("seq"), List.of("3")));
    }

    @Test
    void refusesColumnsThatAreNoPlainIdentifiersAndMissingValues() {
        assertThrows(IllegalArgumentException.class, () -> Keyset.olderThan(List.of("ts_ms; DROP"), List.of("1")));
        assertThrows(IllegalArgumentException.class, () -> Keyset.olderThan(List.of("a", "b"), List.of("1")));
    }
}

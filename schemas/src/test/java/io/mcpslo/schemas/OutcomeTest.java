package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void everyOutcomeIsReadBackFromItsWireName() {
        for (Outcome outcome : Outcome.values()) {
            assertEquals(outcome.name().toLowerCase(java.util.Locale.ROOT), outcome.wireName());
            assertSame(outcome, Outcome.fromWireName(outcome.wireName()));
        }
    }

    @Test
    void anUnknownOrMissingWireNameIsRefusedByName() {
        assertEquals("unknown outcome OK", assertThrows(IllegalArgumentException.class,
                () -> Outcome.fromWireName("OK")).getMessage());
        assertEquals("unknown outcome null", assertThrows(IllegalArgumentException.class,
                () -> Outcome.fromWireName(null)).getMessage());
    }
}

package io.mcpslo.storage.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallCursorTest {

    @Test
    void aCursorComesBackAsItWasGivenOut() {
        CallCursor cursor = new CallCursor(1_795_392_000_123L, UUID.fromString("5b1a7d3e-0000-4000-8000-000000000001"));
        assertEquals(Optional.of(cursor), CallCursor.decode(cursor.encode()));
    }

    @Test
    void anythingElseIsNoCursor() {
        for (String text : new String[] {"", "bm9wZQ", "!!!", "MTIzfG5vdC1hLXV1aWQ", "YXxiNWExN2QzZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDE",
            "MXwyfDM"}) {
            assertEquals(Optional.empty(), CallCursor.decode(text), text);
        }
    }
}

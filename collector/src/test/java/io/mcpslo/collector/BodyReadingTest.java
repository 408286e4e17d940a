package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A request body is read whole when it fits the limit, whether or not the request declared its length. */
class BodyReadingTest {

    private static final byte[] BODY = "[{\"kind\":\"call\"}]".getBytes(StandardCharsets.UTF_8);

    @Test
    void aDeclaredLengthIsReadExactly() throws Exception {
        assertArrayEquals(BODY, IngestHandler.readBounded(new ByteArrayInputStream(BODY), 100, BODY.length));
        assertArrayEquals(BODY, IngestHandler.readBounded(new ByteArrayInputStream(BODY), BODY.length, BODY.length));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedUnread() throws Exception {
        var in = new ByteArrayInputStream(BODY);
        assertNull(IngestHandler.readBounded(in, BODY.length - 1, BODY.length));
        assertEquals(BODY.length, in.available(), "nothing read from a body refused by its declared length");
    }

    @Test
    void aBodyShorterThanDeclaredGivesWhatArrived() throws Exception {
        byte[] read = IngestHandler.readBounded(new ByteArrayInputStream(BODY), 100, BODY.length + 10);
        assertArrayEquals(BODY, read);
    }

    @Test
    void anUndeclaredLengthIsReadToTheLimit() throws Exception {
        assertArrayEquals(BODY, IngestHandler.readBounded(new ByteArrayInputStream(BODY), BODY.length, -1));
        assertNull(IngestHandler.readBounded(new ByteArrayInputStream(BODY), BODY.length - 1, -1));
    }
}

package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void onlyASmallDeclaredBodyGetsItsArrayBeforeItArrives() throws Exception {
        RecordingStream small = new RecordingStream(BODY);
        assertArrayEquals(BODY, IngestHandler.readBounded(small, 10_000_000, BODY.length));
        assertEquals(BODY.length, small.largestRead, "read straight into one array of the declared size");

        byte[] large = new byte[IngestHandler.PREALLOCATED_BODY_BYTES + 10];
        java.util.Arrays.fill(large, (byte) ' ');
        RecordingStream stalled = new RecordingStream(java.util.Arrays.copyOf(large, 100));
        assertArrayEquals(java.util.Arrays.copyOf(large, 100),
                IngestHandler.readBounded(stalled, 10_000_000, large.length));
        assertTrue(stalled.largestRead < large.length, "a large declared body is gathered as it arrives, not given"
                + " an array of its declared size up front: asked for " + stalled.largestRead);
        assertArrayEquals(large, IngestHandler.readBounded(new RecordingStream(large), 10_000_000, large.length));
    }

    /** A stream that notes the largest read asked of it (and does not shortcut readNBytes as ByteArrayInputStream). */
    private static final class RecordingStream extends java.io.InputStream {
        private final ByteArrayInputStream bytes;
        int largestRead;

        RecordingStream(byte[] content) {
            this.bytes = new ByteArrayInputStream(content);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            largestRead = Math.max(largestRead, length);
            return bytes.read(buffer, offset, length);
        }
    }

    @Test
    void anUndeclaredLengthIsReadToTheLimit() throws Exception {
        assertArrayEquals(BODY, IngestHandler.readBounded(new ByteArrayInputStream(BODY), BODY.length, -1));
        assertNull(IngestHandler.readBounded(new ByteArrayInputStream(BODY), BODY.length - 1, -1));
    }
}

package io.mcpslo.allinone.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {

    /** Hands out at most a few bytes per read, so lines cross every buffer boundary. */
    private static InputStream trickling(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            private int turn;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + turn++ % 7));
            }
        };
    }

    private static List<String> read(InputStream in, int maxLineBytes) throws IOException {
        ByteLines lines = new ByteLines(in, maxLineBytes);
        List<String> seen = new ArrayList<>();
        while (lines.next()) {
            seen.add(lines.tooLong() ? "<too long>"
                    : new String(lines.bytes(), lines.offset(), lines.length(), StandardCharsets.UTF_8));
        }
        return seen;
    }

    @Test
    void linesEndAtNewlineOrCrLfAndTheLastNeedsNoNewline() throws IOException {
        assertEquals(List.of("{\"a\":1}", "", "ü€", "  ", "last"),
                read(trickling("{\"a\":1}\r\n\nü€\n  \r\nlast"), 64));
        assertEquals(List.of("one"), read(trickling("one\n"), 64));
        assertEquals(List.of(), read(trickling(""), 64));
    }

    @Test
    void aLineLongerThanTheLimitIsSkippedToItsEndAndTheNextLineIsWhole() throws IOException {
        String longLine = "x".repeat(1_000);
        assertEquals(List.of("short", "<too long>", "after", "<too long>"),
                read(trickling("short\n" + longLine + "\nafter\n" + longLine), 100));
        // a long line that arrives whole in one read, into a buffer larger than the limit
        String justOver = "w".repeat(70_001);
        assertEquals(List.of("<too long>", "next", "<too long>"), read(new ByteArrayInputStream(
                (justOver + "\nnext\n" + justOver).getBytes(StandardCharsets.UTF_8)), 70_000));
        // exactly at the limit is still a line, with CRLF too whichever read its '\r' and '\n' arrive in
        assertEquals(List.of("v".repeat(100), "z"), read(trickling("v".repeat(100) + "\r\nz"), 100));
        // exactly at the limit is still a line
        assertEquals(List.of("y".repeat(100), "z"), read(trickling("y".repeat(100) + "\nz"), 100));
    }

    @Test
    void manyLinesThroughTheDefaultBufferKeepTheirOrderAndBytes() throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String line = "line-" + i + "-" + "é".repeat(i % 13);
            expected.add(line);
            text.append(line).append('\n');
        }
        assertEquals(expected, read(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                1 << 20));
    }

    @Test
    void blankMeansOnlySpacesAndTabs() throws IOException {
        ByteLines lines = new ByteLines(trickling(" \t \n {}\n"), 64);
        assertTrue(lines.next());
        assertTrue(lines.blank());
        assertTrue(lines.next());
        assertFalse(lines.blank());
        assertFalse(lines.next());
    }
}

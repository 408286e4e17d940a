package io.mcpslo.allinone.importer;

import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a stream as slices of one reused buffer, never decoded: the importer's parser reads UTF-8 bytes,
 * so a line need not become a String and back. A line ends at '\n' (a '\r' before it is dropped) or at the end of
 * the stream. A line longer than the limit is skipped to its end and reported as too long, so one broken line
 * cannot take the importer's memory.
 */
final class ByteLines {

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer;
    private int start;
    private int end;
    private int scanned;
    private boolean endOfStream;

    private int lineOffset;
    private int lineLength;
    private boolean lineTooLong;

    ByteLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[Math.min(1 << 16, maxLineBytes + 1)];
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        boolean discarding = false;
        while (true) {
            int newline = indexOfNewline(scanned, end);
            if (newline >= 0) {
                int lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                lineOffset = start;
                lineLength = lineEnd - start;
                lineTooLong = discarding || lineLength > maxLineBytes;
                start = newline + 1;
                scanned = start;
                return true;
            }
            scanned = end;
            if (endOfStream) {
                if (start == end && !discarding) {
                    return false;
                }
                lineOffset = start;
                lineLength = end - start;
                lineTooLong = discarding || lineLength > maxLineBytes;
                start = end;
                return true;
            }
            // a '\r' at the end of what has arrived may be the line's end with '\n' still to come: not counted
            int pending = end - start - (end > start && buffer[end - 1] == '\r' ? 1 : 0);
            if (discarding || pending > maxLineBytes) {
                // too long: forget what was read of it and look for its end
                discarding = true;
                start = end;
                scanned = end;
            }
            fill();
        }
    }

    byte[] bytes() {
        return buffer;
    }

    int offset() {
        return lineOffset;
    }

    int length() {
        return lineLength;
    }

    /** The line was longer than the limit; its bytes are not kept. */
    boolean tooLong() {
        return lineTooLong;
    }

    /** Whether the line holds only JSON whitespace (or nothing). */
    boolean blank() {
        for (int i = lineOffset; i < lineOffset + lineLength; i++) {
            byte b = buffer[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
        }
        if (end == buffer.length) {
            byte[] larger = new byte[(int) Math.min((long) buffer.length * 2, maxLineBytes + 1L + (1 << 16))];
            System.arraycopy(buffer, 0, larger, 0, end);
            buffer = larger;
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            endOfStream = true;
        } else {
            end += read;
        }
    }
}

package io.mcpslo.storage;

/**
 * Counts what the storage read (rows, bytes, queries) for the reads a thread runs while the meter is open: the query
 * API opens one per request and reports it in a header, the query benchmark prints it per question. The back end
 * reports its figures (ClickHouse: the {@code statistics} it appends to every JSON answer). Where a back end cannot
 * say what it read (ClickHouse 18.16 sends no statistics with a binary answer), it reports what it returned, and the
 * meter's figures are then a lower bound ({@link #exact()} false).
 */
public final class ReadMeter implements AutoCloseable {

    private static final ThreadLocal<ReadMeter> CURRENT = new ThreadLocal<>();

    private final ReadMeter outer;
    private long rows;
    private long bytes;
    private int queries;
    private boolean exact = true;

    private ReadMeter(ReadMeter outer) {
        this.outer = outer;
    }

    /** Starts counting on this thread (nested meters each count, the outer one too). */
    public static ReadMeter open() {
        ReadMeter meter = new ReadMeter(CURRENT.get());
        CURRENT.set(meter);
        return meter;
    }

    /** Starts counting on this thread, forgetting any meter left open there (a request's meter: one at a time). */
    public static ReadMeter openAlone() {
        CURRENT.remove();
        return open();
    }

    /** Called by a storage back end after each read it answered on this thread. */
    public static void record(long rowsRead, long bytesRead) {
        for (ReadMeter meter = CURRENT.get(); meter != null; meter = meter.outer) {
            meter.rows += rowsRead;
            meter.bytes += bytesRead;
            meter.queries++;
        }
    }

    /** Called by a storage back end after a read whose rows read it cannot know: what it returned stands in. */
    public static void recordReturned(long rowsReturned, long bytesReturned) {
        record(rowsReturned, bytesReturned);
        for (ReadMeter meter = CURRENT.get(); meter != null; meter = meter.outer) {
            meter.exact = false;
        }
    }

    public long rows() {
        return rows;
    }

    public long bytes() {
        return bytes;
    }

    public int queries() {
        return queries;
    }

    /** False when some read reported only what it returned: {@link #rows()} and {@link #bytes()} are a lower bound. */
    public boolean exact() {
        return exact;
    }

    @Override
    public void close() {
        if (CURRENT.get() == this) {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}

package io.mcpslo.clickhouse;

/** ClickHouse refused a statement or could not be reached; the message carries its answer. */
public final class ClickHouseException extends RuntimeException {

    private final int status;

    public ClickHouseException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status of ClickHouse's answer, or 0 when it was not reached. */
    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == 0;
    }
}

package io.mcpslo.clickhouse;

import io.mcpslo.storage.StorageUnavailable;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ClickHouse refused a statement or could not be reached; the message carries its answer. */
public final class ClickHouseException extends StorageUnavailable {

    private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)");

    /**
     * ClickHouse error codes that blame the rows sent, not the server: parsing, type and value errors
     * (ErrorCodes.cpp). Another try of the same rows fails the same way, whatever the server's state.
     */
    private static final Set<Integer> BAD_DATA_CODES = Set.of(
            6,   // CANNOT_PARSE_TEXT
            25,  // CANNOT_PARSE_ESCAPE_SEQUENCE
            26,  // CANNOT_PARSE_QUOTED_STRING
            27,  // CANNOT_PARSE_INPUT_ASSERTION_FAILED
            32,  // ATTEMPT_TO_READ_AFTER_EOF
            33,  // CANNOT_READ_ALL_DATA
            38,  // CANNOT_PARSE_DATE
            41,  // CANNOT_PARSE_DATETIME
            53,  // TYPE_MISMATCH
            69,  // ARGUMENT_OUT_OF_BOUND
            70,  // CANNOT_CONVERT_TYPE
            72,  // CANNOT_PARSE_NUMBER
            117, // INCORRECT_DATA
            131, // TOO_LARGE_STRING_SIZE
            349  // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
    );

    private final int status;

    public ClickHouseException(String message, int status, Throwable cause) {
        super(message, status == 0, cause);
        this.status = status;
    }

    /** HTTP status of ClickHouse's answer, or 0 when it was not reached. */
    public int status() {
        return status;
    }

    /** ClickHouse's own error code from its answer ("Code: 25, …"), or -1 when the answer named none. */
    public int errorCode() {
        Matcher matcher = ERROR_CODE.matcher(getMessage() == null ? "" : getMessage());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** True when ClickHouse refused the rows themselves (sending them again cannot help), not its own state. */
    public boolean refusedData() {
        return status >= 400 && status < 500 && BAD_DATA_CODES.contains(errorCode());
    }
}

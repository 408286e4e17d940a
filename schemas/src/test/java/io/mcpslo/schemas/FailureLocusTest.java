package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureLocusTest {

    @ParameterizedTest(name = "error.type={0} jsonrpc={1} http={2} mcp={3} failed={4} -> {5}")
    @CsvSource(nullValues = "-", value = {
            "-,          -,      -,   2025-11-25, false, OK",
            "-,          0,      200, 2025-11-25, false, OK",
            "tool_error, -,      -,   2025-11-25, true,  TOOL_ERROR",
            "tool_error, -,      -,   -,          false, TOOL_ERROR",
            // the same input-validation fault: -32602 before 2025-11-25, isError from 2025-11-25 on
            "-32602,     -32602, -,   2025-06-18, true,  TOOL_ERROR",
            "-32602,     -32602, -,   2025-03-26, true,  TOOL_ERROR",
            "-32602,     -32602, -,   2025-11-25, true,  TRANSPORT_ERROR",
            "-32602,     -32602, -,   -,          true,  TRANSPORT_ERROR",
            "-32601,     -32601, -,   2025-06-18, true,  TRANSPORT_ERROR",
            "-32700,     -32700, -,   2025-11-25, true,  TRANSPORT_ERROR",
            "-32603,     -32603, -,   2025-11-25, true,  TRANSPORT_ERROR",
            "-32002,     -32002, -,   2025-11-25, true,  TRANSPORT_ERROR",
            "-,          -,      503, 2025-11-25, false, TRANSPORT_ERROR",
            "-,          -,      404, 2025-11-25, false, TRANSPORT_ERROR",
            "-,          -,      401, 2025-11-25, false, DENIED",
            "-,          -,      403, -,          true,  DENIED",
            "-,          -,      429, -,          true,  RATE_LIMITED",
            "timeout,    -,      -,   2025-11-25, true,  TRANSPORT_ERROR",
            "-,          -,      -,   2025-11-25, true,  TRANSPORT_ERROR",
    })
    void classifiesByTheDesignRules(String errorType, Integer jsonRpcCode, Integer httpStatus, String protocolVersion,
                                    boolean markedFailed, Outcome expected) {
        assertEquals(expected, FailureLocus.classify(errorType, jsonRpcCode, httpStatus, protocolVersion, markedFailed));
    }
}

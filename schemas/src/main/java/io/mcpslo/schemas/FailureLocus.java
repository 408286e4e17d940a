package io.mcpslo.schemas;

/**
 * Which side of the budget a failed MCP request falls on, from what an emitter observed (DESIGN.md, "Failure
 * locus"). The rules, first match wins:
 * <ol>
 *   <li>{@code error.type = tool_error} (the tool ran and returned {@code isError: true}) → {@code tool_error};</li>
 *   <li>JSON-RPC -32602 under an MCP revision before {@value #INPUT_VALIDATION_IN_IS_ERROR} → {@code tool_error}:
 *       that revision moved input-validation failures from -32602 into {@code isError}, so the same fault counts on
 *       the tool side under either revision; -32602 under that revision or later (unknown tool, malformed request),
 *       or with no revision known, → {@code transport_error};</li>
 *   <li>any other JSON-RPC error code → {@code transport_error};</li>
 *   <li>HTTP 401 or 403 → {@code denied}; 429 → {@code rate_limited}; any other HTTP status ≥ 400 (5xx, 404 of an
 *       expired session) → {@code transport_error};</li>
 *   <li>any other error type (timeout, a disconnect, an exception class) or a request marked failed →
 *       {@code transport_error};</li>
 *   <li>otherwise {@code ok}.</li>
 * </ol>
 */
public final class FailureLocus {

    /** The MCP revision that reports input-validation failures as {@code isError} instead of JSON-RPC -32602. */
    public static final String INPUT_VALIDATION_IN_IS_ERROR = "2025-11-25";
    public static final int INVALID_PARAMS = -32602;
    public static final String TOOL_ERROR_TYPE = "tool_error";

    private FailureLocus() {
    }

    /**
     * @param errorType       semconv {@code error.type}, or null
     * @param jsonRpcCode     the JSON-RPC error code of the response, or null when it had none
     * @param httpStatus      the HTTP status of the response, or null when not over HTTP
     * @param protocolVersion the MCP revision ({@code 2025-06-18}), or null when unknown
     * @param markedFailed    the emitter marked the request failed without saying more (span status ERROR)
     */
    public static Outcome classify(String errorType, Integer jsonRpcCode, Integer httpStatus, String protocolVersion,
                                   boolean markedFailed) {
        if (TOOL_ERROR_TYPE.equals(errorType)) {
            return Outcome.TOOL_ERROR;
        }
        if (jsonRpcCode != null && jsonRpcCode == INVALID_PARAMS) {
            return protocolVersion != null && protocolVersion.compareTo(INPUT_VALIDATION_IN_IS_ERROR) < 0
                    ? Outcome.TOOL_ERROR : Outcome.TRANSPORT_ERROR;
        }
        if (jsonRpcCode != null && jsonRpcCode != 0) {
            return Outcome.TRANSPORT_ERROR;
        }
        if (httpStatus != null && httpStatus >= 400) {
            return switch (httpStatus) {
                case 401, 403 -> Outcome.DENIED;
                case 429 -> Outcome.RATE_LIMITED;
                default -> Outcome.TRANSPORT_ERROR;
            };
        }
        if (errorType != null || markedFailed) {
            return Outcome.TRANSPORT_ERROR;
        }
        return Outcome.OK;
    }
}

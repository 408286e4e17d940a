package io.mcpslo.storage.report;

/** A tool's calls and failures over a range, the failures split by locus. */
public record ToolFailures(String server, String tool, long calls, long toolErrors, long transportErrors) {
    public long failures() {
        return toolErrors + transportErrors;
    }
}

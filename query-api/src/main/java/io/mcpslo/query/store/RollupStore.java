package io.mcpslo.query.store;

import java.util.List;
import java.util.Set;

/** Reads merged rollups; buckets without calls may be absent. */
public interface RollupStore {

    List<RollupBucket> buckets(RollupQuery query);

    /** The whole range merged per (tool, server version), for comparing versions side by side. */
    List<ToolVersion> byTool(RollupQuery query);

    /**
     * The newest stored calls in the query's range, servers, tool and version, of the given outcomes (wire names;
     * empty: any), at most {@code limit}: the way from a failure count to the calls, and their traces.
     */
    List<CallSample> recentCalls(RollupQuery query, Set<String> outcomes, int limit);

    /** One tool at one server version over a range. */
    record ToolVersion(String tool, String serverVersion, RollupBucket merged) {
    }
}

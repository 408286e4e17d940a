package io.mcpslo.query.store;

import java.util.List;

/** Reads merged rollups; buckets without calls may be absent. */
public interface RollupStore {

    List<RollupBucket> buckets(RollupQuery query);

    /** The whole range merged per (tool, server version), for comparing versions side by side. */
    List<ToolVersion> byTool(RollupQuery query);

    /** One tool at one server version over a range. */
    record ToolVersion(String tool, String serverVersion, RollupBucket merged) {
    }
}

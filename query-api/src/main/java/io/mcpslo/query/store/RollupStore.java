package io.mcpslo.query.store;

import java.util.List;

/** Reads merged rollups; buckets without calls may be absent. */
public interface RollupStore {

    List<RollupBucket> buckets(RollupQuery query);
}

package io.mcpslo.storage.memory;

import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.rollup.RollupStore;
import java.util.List;

/** Rollups from the pipeline's latest revisions, merged per bucket or per tool. */
final class InMemoryRollupStore implements RollupStore {

    private final InMemoryPipelineStore pipeline;

    InMemoryRollupStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public List<RollupBucket> buckets(RollupQuery query) {
        throw new UnsupportedOperationException("rollups: in-memory store being built");
    }

    @Override
    public ToolsPage tools(RollupQuery query, ToolSort sort, int offset, int limit) {
        throw new UnsupportedOperationException("rollups: in-memory store being built");
    }
}

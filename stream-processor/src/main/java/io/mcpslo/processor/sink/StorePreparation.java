package io.mcpslo.processor.sink;

import io.mcpslo.storage.pipeline.PipelineStore;
/** Prepares the store once for all the sink's loops; a loop that finds it unprepared tries again. */
final class StorePreparation {

    private final PipelineStore store;
    private boolean prepared;

    StorePreparation(PipelineStore store) {
        this.store = store;
    }

    synchronized void ensure() {
        if (!prepared) {
            store.prepare();
            prepared = true;
        }
    }
}

package io.mcpslo.storage;

import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.storage.pipeline.DeadLetterStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.rollup.RollupStore;
import io.mcpslo.storage.slo.SloStore;
import java.util.List;

/**
 * Everything mcp-slo keeps, as one back end's stores. A back end implements these interfaces, passes the contract
 * suite ({@code StorageContract} in this module's tests) and registers a {@link StorageProvider}; the stream
 * processor and the query API then run on it unchanged. A store that cannot reach its data throws
 * {@link StorageUnavailable}.
 */
public interface Storage extends AutoCloseable {

    /** Creates or updates what the back end needs (tables); safe to call again. */
    void prepare();

    /** Where the stream's results are written (the sink). */
    PipelineStore pipeline();

    /** An SLO's minutes as the stream processor reads them back on start and reload. */
    SloHistory sloHistory();

    RollupStore rollups();

    SloStore slos();

    CallStore calls();

    AuditStore audit();

    ReportStore reports();

    DeadLetterStore deadLetters();

    /** Work the stream processor runs for this back end (dropping expired rows); empty when it needs none. */
    List<Upkeep> processorUpkeep();

    /** Work the query API runs for this back end (rolling minutes into coarser tables); empty when it needs none. */
    List<Upkeep> queryUpkeep();

    /** One line for the start-up log: where the data is and how long it is kept (no secrets). */
    String describe();

    @Override
    default void close() {
    }
}

package io.mcpslo.storage.memory;

import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.Upkeep;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.storage.pipeline.DeadLetterStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.storage.rollup.RollupStore;
import io.mcpslo.storage.slo.SloStore;
import java.time.Clock;
import java.util.List;

/**
 * Every store in this process's memory, all reading what {@link InMemoryPipelineStore} holds: for tests and for
 * trying mcp-slo without ClickHouse. Nothing survives a restart and nothing expires, so there is no upkeep.
 */
public final class InMemoryStorage implements Storage {

    private final Clock clock;
    private final InMemoryPipelineStore pipeline = new InMemoryPipelineStore();
    private final InMemorySloHistory sloHistory = new InMemorySloHistory(pipeline);
    private final InMemoryRollupStore rollups = new InMemoryRollupStore(pipeline);
    private final InMemorySloStore slos = new InMemorySloStore(pipeline);
    private final InMemoryReportStore reports = new InMemoryReportStore(pipeline, rollups, sloHistory);
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore(pipeline);

    public InMemoryStorage(Clock clock) {
        this.clock = clock;
    }

    /** The clock the stores that stamp rows read. */
    Clock clock() {
        return clock;
    }

    @Override
    public void prepare() {
    }

    @Override
    public InMemoryPipelineStore pipeline() {
        return pipeline;
    }

    @Override
    public SloHistory sloHistory() {
        return sloHistory;
    }

    @Override
    public RollupStore rollups() {
        return rollups;
    }

    @Override
    public SloStore slos() {
        return slos;
    }

    @Override
    public ReportStore reports() {
        return reports;
    }

    @Override
    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    @Override
    public CallStore calls() {
        return new InMemoryCallStore(pipeline);
    }

    @Override
    public AuditStore audit() {
        return new InMemoryAuditStore(pipeline);
    }

    @Override
    public List<Upkeep> processorUpkeep() {
        return List.of();
    }

    @Override
    public List<Upkeep> queryUpkeep() {
        return List.of();
    }

    @Override
    public String describe() {
        return "in-memory storage (kept in this process only, lost on restart)";
    }
}

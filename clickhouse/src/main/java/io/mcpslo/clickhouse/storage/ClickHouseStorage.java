package io.mcpslo.clickhouse.storage;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.ClickHouseSloHistory;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.clickhouse.SchemaMigrator;
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
import java.time.Duration;
import java.util.List;

/** The ClickHouse back end: every store over one HTTP client, the roller and retention as its upkeep. */
public final class ClickHouseStorage implements Storage {

    private final ClickHouseClient client;
    private final RetentionSettings retention;
    private final RollerSettings roller;
    private final PipelineStore pipeline;
    private final SloHistory sloHistory;
    private final RollupStore rollups;
    private final SloStore slos;
    private final CallStore calls;
    private final AuditStore audit;
    private final ReportStore reports;
    private final DeadLetterStore deadLetters;

    public ClickHouseStorage(ClickHouseConfig config, RetentionSettings retention, RollerSettings roller, Clock clock) {
        this.client = new ClickHouseClient(config);
        this.retention = retention;
        this.roller = roller;
        this.pipeline = new ClickHousePipelineStore(client, clock);
        this.sloHistory = new ClickHouseSloHistory(client);
        this.rollups = new ClickHouseRollupStore(client);
        this.slos = new ClickHouseSloStore(client);
        this.calls = new ClickHouseCallStore(client);
        this.audit = new ClickHouseAuditStore(client);
        this.reports = new ClickHouseReportStore(client);
        this.deadLetters = new ClickHouseDeadLetterStore(client);
    }

    public ClickHouseClient client() {
        return client;
    }

    @Override
    public void prepare() {
        new SchemaMigrator(client).migrate();
    }

    @Override
    public PipelineStore pipeline() {
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
    public CallStore calls() {
        return calls;
    }

    @Override
    public AuditStore audit() {
        return audit;
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
    public List<Upkeep> processorUpkeep() {
        var dropping = new Retention(client, retention);
        return List.of(new Upkeep("retention", Duration.ofMinutes(1), Duration.ofHours(1), dropping::dropExpired));
    }

    @Override
    public List<Upkeep> queryUpkeep() {
        if (roller.interval().isZero()) {
            return List.of();
        }
        // its own client: the first pass over a large store runs for minutes, longer than a query may
        var config = client.config();
        var rolling = new RollupRoller(new ClickHouseClient(new ClickHouseConfig(config.url(), config.user(),
                config.password(), config.database(), Duration.ofHours(1))), roller.byTimeDays());
        return List.of(new Upkeep("rollup roller", Duration.ZERO, roller.interval(), now -> rolling.rollOnce()));
    }

    @Override
    public String describe() {
        return client.config().describe() + "; " + retention.describe() + "; " + roller.describe();
    }
}

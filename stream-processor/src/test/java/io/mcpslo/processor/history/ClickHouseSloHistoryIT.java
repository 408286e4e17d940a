package io.mcpslo.processor.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseSloHistory;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.processor.topology.SloHistoryContract;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The stored-history contract against the real ClickHouse, rollups written by the sink's own store. */
class ClickHouseSloHistoryIT extends SloHistoryContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ClickHouseClient clickHouse;

    @BeforeAll
    static void start() {
        clickHouse = ClickHouseTestSupport.freshDatabase("slohistory");
    }

    @AfterAll
    static void stop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    @Override
    protected SloHistory history() {
        return new ClickHouseSloHistory(clickHouse);
    }

    @Override
    protected void store(CallRollup rollup) {
        new ClickHousePipelineStore(clickHouse, Clock.systemUTC()).writeRollups(List.of(rollup));
    }

    @Override
    protected void storeTransition(String sloId, AlertKind kind, AlertStatus to, Instant at, String dedupKey) {
        ObjectNode row = JSON.createObjectNode();
        row.put("dedup_key", dedupKey);
        row.put("slo_id", sloId);
        row.put("alert", kind.label());
        row.put("to_state", to.name().toLowerCase(Locale.ROOT));
        row.put("at", at.getEpochSecond());
        row.put("at_ms", at.toEpochMilli());
        row.put("incident_start", at.getEpochSecond());
        clickHouse.insertJsonEachRow("alert_events", (row + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

package io.mcpslo.processor.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.processor.topology.SloHistory;
import io.mcpslo.processor.topology.SloHistoryContract;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The stored-history contract against the real ClickHouse, rows inserted with the sink's columns. */
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
        ObjectNode row = JSON.createObjectNode();
        row.put("window_start", rollup.windowStart().getEpochSecond());
        row.put("server", rollup.key().server());
        row.put("tool", rollup.key().tool());
        row.put("server_version", rollup.key().serverVersion());
        row.put("calls", rollup.counts().calls());
        row.put("ok", rollup.counts().ok());
        row.put("tool_error", rollup.counts().toolError());
        row.put("transport_error", rollup.counts().transportError());
        row.put("denied", rollup.counts().denied());
        row.put("rate_limited", rollup.counts().rateLimited());
        row.put("latency_sum_ms", rollup.latencySumMs());
        row.put("latency_max_ms", rollup.latencyMaxMs());
        row.put("latency_zero_count", rollup.latency().zeroCount());
        var indexes = row.putArray("latency_bins");
        var counts = row.putArray("latency_counts");
        for (int i = 0; i < rollup.latency().indexes().length; i++) {
            indexes.add(rollup.latency().indexes()[i]);
            counts.add(rollup.latency().counts()[i]);
        }
        row.put("revision", rollup.revision());
        row.put("updated_at", rollup.windowStart().getEpochSecond());
        clickHouse.insertJsonEachRow("call_rollups_1m", (row + "\n").getBytes(StandardCharsets.UTF_8));
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

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bench's ClickHouse cost by table comes from the part log that the project's script turns on. */
class BenchClickHouseCostIT {

    private static ClickHouseClient clickHouse;

    @BeforeAll
    static void connect() {
        clickHouse = ClickHouseTestSupport.freshDatabase("bench_cost");
        clickHouse.execute("SYSTEM FLUSH LOGS");
        if (clickHouse.query("SELECT count() AS n FROM system.tables WHERE database = 'system' AND name = 'part_log'")
                .get(0).path("n").asLong() == 0) {
            throw new IllegalStateException("The ClickHouse at " + clickHouse.config().url() + " keeps no part log:"
                    + " start it with `scripts/clickhouse.sh start` (or `./mcp-slo test`), whose config turns it on.");
        }
    }

    @AfterAll
    static void drop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    @Test
    void theRowsInsertedIntoATableShowAsItsWrittenRows() {
        String database = clickHouse.database();
        long start = Benchmark.clickHouseNow(clickHouse);
        clickHouse.execute("CREATE TABLE " + database + ".cost_probe (n UInt64) ENGINE = MergeTree() ORDER BY n");
        clickHouse.execute("INSERT INTO " + database + ".cost_probe SELECT number FROM system.numbers LIMIT 1000");
        clickHouse.execute("INSERT INTO " + database + ".cost_probe SELECT number FROM system.numbers LIMIT 500");

        List<Benchmark.TableCost> costs = Benchmark.clickHouseByTable(clickHouse, database, start);

        Benchmark.TableCost probe = costs.stream().filter(cost -> cost.table().equals("cost_probe")).findFirst()
                .orElseThrow(() -> new AssertionError("no part log rows for the probe table: " + costs));
        assertEquals(1500, probe.writtenRows(), "two parts written, 1,000 and 500 rows");
        assertTrue(costs.stream().allMatch(cost -> cost.writtenRows() > 0 || cost.mergedRows() > 0), costs.toString());
        assertTrue(Benchmark.clickHouseByTable(clickHouse, database, start + 3_600).isEmpty(),
                "nothing counted before the run began");
    }
}

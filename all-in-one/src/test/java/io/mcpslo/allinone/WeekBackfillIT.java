package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulk half of {@code up --backfill-week}, into a real ClickHouse: what it imports, tags and rolls up. */
class WeekBackfillIT {

    private ClickHouseClient clickHouse;

    @AfterEach
    void drop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    private long scalar(String sql) {
        return clickHouse.query(sql.replace("{db}", clickHouse.database())).get(0).get("n").asLong();
    }

    private double errorRate(String where) {
        return (double) scalar("SELECT sum(transport_error) AS n FROM {db}.call_rollups_1m FINAL WHERE " + where)
                / scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL WHERE " + where);
    }

    @Test
    void pastTrafficOlderThanTheLatenessIsImportedTaggedAndRolledUpAndTheRestLeftToTheCollector() throws Exception {
        clickHouse = ClickHouseTestSupport.freshDatabase("week_backfill");
        Settings settings = Settings.fromEnvironment().with(Map.of("CLICKHOUSE_DATABASE", clickHouse.database(),
                "ALLOWED_LATENESS", "6h"));

        WeekBackfill.PastImport past = WeekBackfill.importPast(settings, 2);

        assertEquals(Duration.ofDays(14), Duration.between(past.begin(), past.end()));
        Instant expectedCut = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.MINUTES);
        assertTrue(Duration.between(past.cut(), expectedCut).abs().toMinutes() <= 1, past::toString);
        long minutes = Duration.between(past.begin(), past.cut()).toMinutes();
        assertEquals(minutes * 2, past.imported(), "two calls for every imported minute");
        assertEquals(0, past.inWindowsStoredBefore());
        String tagged = " WHERE session_id = '" + past.runTag() + "'";
        assertEquals(past.imported(), scalar("SELECT count() AS n FROM {db}.calls FINAL" + tagged));
        assertEquals(0, scalar("SELECT count() AS n FROM {db}.calls FINAL" + tagged + " AND ts >= toDateTime("
                + past.cut().getEpochSecond() + ")"), "the last hours are the collector's");
        assertEquals(past.imported(), scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL"));
        // the daily ten-minute jira incident at 14:00 UTC is in the imported minutes, in the rollups
        String incident = "toHour(window_start) = 14 AND toMinute(window_start) < 10";
        double inIncidents = errorRate("server = 'jira' AND " + incident);
        double elsewhere = errorRate("server = 'jira' AND NOT (" + incident + ")");
        assertTrue(inIncidents > 10 * elsewhere, "jira's transport error rate: " + inIncidents
                + " in the incidents' minutes, " + elsewhere + " in the others");
    }
}

package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.MinuteRollups.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The roller against the real ClickHouse: hours and days equal the latest revision of every minute, summed. */
class RollupRollerIT {

    private static final List<String[]> KEYS = List.of(new String[] {"github", "search_v1", "2.4.0"},
            new String[] {"github", "search_v2", "2.4.0"}, new String[] {"github", "search_v2", "2.5.0"},
            new String[] {"jira", "create_issue", ""}, new String[] {"it's \\ odd", "tool ' x", "1"});

    private ClickHouseClient client;
    private RollupRoller roller;
    private long now;

    @BeforeEach
    void setUp() {
        client = ClickHouseTestSupport.freshDatabase("roller");
        // no overlap: a pass re-reads no touches of the previous one, so what each pass rolls is exact here
        roller = new RollupRoller(client, 35, java.time.Duration.ZERO);
        now = client.query("SELECT toUInt32(now()) AS now").get(0).get("now").asLong();
    }

    @AfterEach
    void tearDown() {
        ClickHouseTestSupport.drop(client);
    }

    /** Expected rows of a coarser table: the final revisions summed per key and (unit-aligned) window. */
    private static Map<String, String> expected(List<Row> rows, long unit) {
        return expected(rows, unit, false);
    }

    /** Expected rows of call_rollups_1m_by_server: the final revisions summed per server and minute. */
    private static Map<String, String> expectedPerServer(List<Row> rows) {
        return expected(rows, 60, true);
    }

    /** The server tables of every grain hold the final revisions summed per server and (unit-aligned) window. */
    private void assertServerTables(List<Row> rows) {
        assertEquals(expectedPerServer(rows), stored("call_rollups_1m_by_server"));
        assertEquals(expected(rows, 300, true), stored("call_rollups_5m_by_server"));
        assertEquals(expected(rows, 3_600, true), stored("call_rollups_1h_by_server"));
        assertEquals(expected(rows, 86_400, true), stored("call_rollups_1d_by_server"));
    }

    private static Map<String, String> expected(List<Row> rows, long unit, boolean perServer) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, TreeMap<Integer, Long>> bins = new TreeMap<>();
        for (Row row : rows) {
            String key = row.server() + "|" + (perServer ? "|" : row.tool() + "|" + row.version()) + "|"
                    + Math.floorDiv(row.minute(), unit) * unit;
            long[] sums = counts.computeIfAbsent(key, k -> new long[7]);
            sums[0] += row.calls();
            sums[1] += row.ok();
            sums[2] += row.toolError();
            sums[3] += row.transportError();
            sums[4] += row.denied();
            sums[5] += row.rateLimited();
            sums[6] += row.zeroCount();
            TreeMap<Integer, Long> merged = bins.computeIfAbsent(key, k -> new TreeMap<>());
            for (int i = 0; i < row.bins().length; i++) {
                merged.merge(row.bins()[i], row.counts()[i], Long::sum);
            }
        }
        Map<String, String> expected = new TreeMap<>();
        counts.forEach((key, sums) -> expected.put(key, java.util.Arrays.toString(sums) + " " + bins.get(key)));
        return expected;
    }

    private Map<String, String> stored(String table) {
        Map<String, String> stored = new TreeMap<>();
        for (JsonNode row : client.query("SELECT server, tool, server_version, toUInt32(window_start) AS w, calls, ok,"
                + " tool_error, transport_error, denied, rate_limited, latency_zero_count, latency_bins, latency_counts"
                + " FROM " + client.database() + "." + table)) {
            String key = row.get("server").asText() + "|" + row.get("tool").asText() + "|"
                    + row.get("server_version").asText() + "|" + row.get("w").asLong();
            long[] sums = {row.get("calls").asLong(), row.get("ok").asLong(), row.get("tool_error").asLong(),
                    row.get("transport_error").asLong(), row.get("denied").asLong(), row.get("rate_limited").asLong(),
                    row.get("latency_zero_count").asLong()};
            TreeMap<Integer, Long> bins = new TreeMap<>();
            for (int i = 0; i < row.get("latency_bins").size(); i++) {
                bins.put(row.get("latency_bins").get(i).asInt(), row.get("latency_counts").get(i).asLong());
            }
            String previous = stored.put(key, java.util.Arrays.toString(sums) + " " + bins);
            assertEquals(null, previous, "one row per key and window in " + table + ": " + key);
        }
        return stored;
    }

    @Test
    void hoursAndDaysHoldTheLatestRevisionOfEveryMinuteOnce() {
        Random random = new Random(7);
        long from = (now / 86_400 - 2) * 86_400 + 1_800; // three UTC days, starting mid-hour
        List<Row> rows = new ArrayList<>(MinuteRollups.fill(client, random, KEYS, from, now - 180, 3));
        settle();

        RollupRoller.Pass first = roller.rollOnce();
        assertTrue(first.first());
        assertEquals(rows.stream().map(r -> r.minute() / 86_400).distinct().count(), first.days());
        assertEquals(expected(rows, 3_600), stored("call_rollups_1h"));
        assertEquals(expected(rows, 86_400), stored("call_rollups_1d"));
        assertServerTables(rows);
        RollupRoller.State state = roller.state().orElseThrow();
        assertTrue(state.rolledThrough().getEpochSecond() >= (now - RollupRoller.SETTLE.toSeconds()) / 60 * 60
                && state.rolledThrough().getEpochSecond() % 60 == 0, "the watermark: a minute 2 min back");

        // nothing new: nothing rolled
        settle();
        assertEquals(0, roller.rollOnce().days());

        // late events: a higher revision of a minute a day and a half ago, and a new minute two days ago, one server
        Row revised = rows.stream().filter(r -> r.server().equals("jira") && r.minute() < now - 36 * 3_600)
                .reduce((a, b) -> b).orElseThrow();
        Row grown = new Row(revised.server(), revised.tool(), revised.version(), revised.minute(), revised.ok() + 40,
                revised.toolError() + 2, revised.transportError(), revised.denied(), revised.rateLimited(),
                revised.zeroCount(), new int[] {10, 400}, new long[] {1, revised.calls() + 41 - revised.zeroCount()});
        long newMinute = (from / 60 + 1) * 60;
        while (hasRow(rows, "jira", newMinute)) {
            newMinute += 60;
        }
        long addedAt = newMinute;
        Row added = MinuteRollups.random(random, "jira", "create_issue", "", newMinute);
        rows.remove(revised);

        rows.add(grown);
        rows.add(added);
        MinuteRollups.insert(client, List.of(grown, added));
        long githubRevisionBefore = client.query("SELECT max(revision) AS r FROM " + client.database()
                + ".call_rollups_1h WHERE server = 'github' AND toUInt32(window_start) = "
                + newMinute / 3_600 * 3_600).get(0).get("r").asLong();
        settle();

        RollupRoller.Pass late = roller.rollOnce();
        assertFalse(late.first());
        assertEquals(java.util.stream.Stream.of(revised.minute(), addedAt).map(m -> m / 86_400).distinct().count(),
                late.days());
        assertEquals(java.util.stream.Stream.of(revised.minute(), addedAt).map(m -> m / 3_600).distinct().count(),
                late.touchedPairs());
        assertEquals(expected(rows, 3_600), stored("call_rollups_1h"));
        assertEquals(expected(rows, 86_400), stored("call_rollups_1d"));
        assertServerTables(rows);
        // only the touched (hour, server) pairs were rebuilt; the rest of their days were kept as they were
        assertEquals(githubRevisionBefore, client.query("SELECT max(revision) AS r FROM " + client.database()
                + ".call_rollups_1h WHERE server = 'github' AND toUInt32(window_start) = "
                + newMinute / 3_600 * 3_600).get(0).get("r").asLong());
        assertEquals(0, client.query("SELECT count() AS n FROM system.tables WHERE database = '" + client.database()
                + "' AND name LIKE '%stage%'").get(0).get("n").asLong(), "staging tables are dropped");
    }

    @Test
    void theWatermarksHourHoldsItsMinutesBeforeTheWatermarkAndTheNextPassAddsTheRest() {
        // the last two hours' minutes, and four ahead (a client whose clock runs fast)
        List<Row> rows = MinuteRollups.fill(client, new Random(9), KEYS, (now / 3_600 - 1) * 3_600, now / 60 * 60 + 240, 1);
        settle();
        RollupRoller lagging = new RollupRoller(client, 35, java.time.Duration.ZERO, java.time.Duration.ofMinutes(30));
        lagging.rollOnce();
        long watermark = lagging.state().orElseThrow().rolledThrough().getEpochSecond();
        assertEquals(0, watermark % 60);
        assertTrue(rows.stream().anyMatch(r -> r.minute() >= watermark), "minutes after the watermark exist");
        List<Row> settled = rows.stream().filter(r -> r.minute() < watermark).toList();
        assertEquals(expected(settled, 3_600), stored("call_rollups_1h"), "the watermark's hour: its minutes before it");
        assertEquals(expected(settled, 86_400), stored("call_rollups_1d"));
        assertServerTables(settled);

        // nothing written since: the next pass rolls what the last one left out, up to its own watermark
        settle();
        RollupRoller.Pass next = roller.rollOnce();
        long later = next.state().rolledThrough().getEpochSecond();
        assertTrue(later >= watermark + 28 * 60, "the watermark moved on: " + watermark + " -> " + later);
        List<Row> settledNow = rows.stream().filter(r -> r.minute() < later).toList();
        assertTrue(settledNow.size() > settled.size() && settledNow.size() < rows.size());
        assertEquals(expected(settledNow, 3_600), stored("call_rollups_1h"));
        assertEquals(expected(settledNow, 86_400), stored("call_rollups_1d"));
        assertServerTables(settledNow);
    }

    @Test
    void aPassAnnouncesItsSwapBeforeTheWatermarksRowsChangeAndEndsItWithTheNewWatermark() throws Exception {
        List<Row> rows = MinuteRollups.fill(client, new Random(5), KEYS, (now / 3_600 - 1) * 3_600, now / 60 * 60 + 120, 1);
        settle();
        new RollupRoller(client, 35, java.time.Duration.ZERO, java.time.Duration.ofMinutes(30)).rollOnce();
        RollupRoller.State before = RollupRoller.state(client).orElseThrow();
        assertFalse(before.swapping(), "a finished pass leaves no swap announced");
        long watermark = before.rolledThrough().getEpochSecond();
        Map<String, String> hoursBefore = stored("call_rollups_1h");
        assertEquals(expected(rows.stream().filter(r -> r.minute() < watermark).toList(), 3_600), hoursBefore);

        settle();
        RollupRoller guarded = new RollupRoller(client, 35, java.time.Duration.ZERO, RollupRoller.SETTLE,
                java.time.Duration.ofSeconds(3));
        var pass = java.util.concurrent.CompletableFuture.supplyAsync(guarded::rollOnce);
        RollupRoller.State announced = null;
        for (int i = 0; i < 100 && announced == null && !pass.isDone(); i++) {
            RollupRoller.State seen = RollupRoller.state(client).orElseThrow();
            if (seen.swapping()) {
                announced = seen;
            } else {
                Thread.sleep(50);
            }
        }
        assertNotNull(announced, "the swap was announced while the pass waited");
        assertEquals(watermark, announced.rolledThrough().getEpochSecond(), "the old watermark still holds");
        assertEquals(hoursBefore, stored("call_rollups_1h"), "nothing swapped in yet: the old rows under the old watermark");

        RollupRoller.State after = pass.get(60, java.util.concurrent.TimeUnit.SECONDS).state();
        assertFalse(RollupRoller.state(client).orElseThrow().swapping(), "the new state ends the swap");
        assertTrue(after.rolledThrough().getEpochSecond() > watermark);
        long later = after.rolledThrough().getEpochSecond();
        assertEquals(expected(rows.stream().filter(r -> r.minute() < later).toList(), 3_600), stored("call_rollups_1h"));
    }

    private static boolean hasRow(List<Row> rows, String server, long minute) {
        return rows.stream().anyMatch(r -> r.server().equals(server) && r.minute() == minute);
    }

    /** Touches are stamped to the second: let the clock move past the last insert's. */
    private static void settle() {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theFirstPassCopiesMinutesWrittenBeforeTheViewsIntoTheByTimeCopy() {
        // minutes written before V007: straight into the table, the views not yet there
        client.execute("DROP TABLE " + client.database() + ".call_rollups_1m_by_time_mv");
        client.execute("DROP TABLE " + client.database() + ".call_rollups_touched_mv");
        List<Row> rows = MinuteRollups.fill(client, new Random(3), KEYS, now - 3 * 3_600, now - 180, 2);
        assertEquals(0, client.query("SELECT count() AS n FROM " + client.database() + ".call_rollups_1m_by_time")
                .get(0).get("n").asLong());
        roller.rollOnce();
        assertEquals(rows.size(), client.query("SELECT count() AS n FROM " + client.database()
                + ".call_rollups_1m_by_time FINAL").get(0).get("n").asLong());
        assertEquals(expected(rows, 3_600), stored("call_rollups_1h"));
    }

    @Test
    void finishedDaysOfTheByTimeMinutesAreCompactedToOnePartWithTheSameFinalRows() {
        long today = now / 86_400;
        long from = (today - 2) * 86_400;
        List<Row> rows = MinuteRollups.fill(client, new Random(11), KEYS, from, now - 180, 4);
        // a late revision of yesterday's first minute, in a part of its own
        Row late = rows.stream().filter(r -> r.minute() >= (today - 1) * 86_400).findFirst().orElseThrow();
        MinuteRollups.insert(client, List.of(late));
        assertTrue(parts(today - 1) > 1 && parts(today - 2) > 1, "the days start in several parts");
        String finalRows = "SELECT server, tool, server_version, toUInt32(window_start) AS w, ok, latency_counts FROM "
                + client.database() + ".call_rollups_1m_by_time FINAL ORDER BY w, server, tool, server_version";
        List<JsonNode> before = client.query(finalRows);

        RollupRoller.Pass pass = roller.rollOnce();

        assertEquals(2, pass.compactedDays());
        assertEquals(1, parts(today - 1), "yesterday is one part");
        assertEquals(1, parts(today - 2));
        assertEquals(before, client.query(finalRows), "compaction changes no row a FINAL read returns");
        settle();
        assertEquals(0, roller.rollOnce().compactedDays(), "one part: nothing to do");
    }

    @Test
    void aDatabaseRolledBeforeV011GetsItsFiveMinutesFilledByTheNextPass() {
        List<Row> rows = MinuteRollups.fill(client, new Random(5), KEYS, (now / 86_400 - 1) * 86_400, now - 180, 3);
        settle();
        roller.rollOnce();
        assertTrue(roller.state().orElseThrow().fiveMinutes(), "a first pass rolls the five minutes with the rest");
        // as V011 finds a database: the table empty, no row saying it is filled
        client.execute("TRUNCATE TABLE " + client.database() + ".call_rollups_5m_by_server");
        client.execute("ALTER TABLE " + client.database() + ".rollup_rolls DELETE WHERE name = '"
                + RollupRoller.FIVE_MINUTES_READY + "'");
        awaitMutations();
        assertFalse(roller.state().orElseThrow().fiveMinutes(), "queries must not read the empty table");

        settle();
        RollupRoller.Pass pass = roller.rollOnce();

        assertEquals(0, pass.days(), "nothing new to roll");
        assertTrue(pass.state().fiveMinutes());
        assertTrue(roller.state().orElseThrow().fiveMinutes());
        assertEquals(expected(rows, 300, true), stored("call_rollups_5m_by_server"));
    }

    private void awaitMutations() {
        for (int i = 0; i < 100 && client.query("SELECT count() AS n FROM system.mutations WHERE database = '"
                + client.database() + "' AND NOT is_done").get(0).get("n").asLong() > 0; i++) {
            settle();
        }
    }

    private long parts(long day) {
        return client.query("SELECT count() AS n FROM system.parts WHERE database = '" + client.database()
                + "' AND table = 'call_rollups_1m_by_time' AND active AND partition = '" + day + "'")
                .get(0).get("n").asLong();
    }
}

package io.mcpslo.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills {@code call_rollups_1h} and {@code call_rollups_1d} from the minute rollups, right under revisions and late
 * events (see V007). The stream writes several revisions of a minute and may write a minute hours late, so nothing
 * here sums inserts: a pass reads which (hour, server) pairs received minute rows since the last pass (the
 * {@code call_rollups_touched} view records every insert into {@code call_rollups_1m}), and for each such UTC day
 * rebuilds the day's hourly partition — the latest revision of every minute of the touched hours (FINAL), merged per
 * hour (counts summed, sketch bins by sumMap), plus the day's untouched hours as they were — in a staging table, then
 * swaps it in whole ({@code REPLACE PARTITION}), and the day's daily partition from those hours the same way. Every
 * table thus holds one row per key and hour or day, and queries sum it without FINAL.
 *
 * <p>The same pass rebuilds the touched hours of {@code call_rollups_1m_by_server} (V009): each server's minutes
 * merged over its tools and versions, for a server's charts at minute steps — and from those, every touched day's
 * {@code call_rollups_1h_by_server} and {@code call_rollups_1d_by_server} (V010), for a server's and the fleet's charts
 * by the hour or day.
 *
 * <p>After a pass, {@code rollup_rolls} says up to where the rolled tables may be used ({@code rolled_through}: the
 * minutes that ended {@link #SETTLE} before the pass began); a query reads minutes after that. Minutes from there on
 * stay out of every rolled table, so the hour the watermark falls in holds exactly its minutes before it; the next
 * pass rolls the minutes this one left out, touched again or not. A minute row arriving later than that for an
 * older minute (a late event, a back-fill, a replay) is in the rolled tables from the next pass on, so until then
 * (at most one interval) a long-range answer may lack it.
 *
 * <p>The roller also keeps {@code call_rollups_1m_by_time} (the minutes sorted by time) complete for its last
 * {@code byTimeDays} days: on its first pass it copies those days from {@code call_rollups_1m}, as rows written
 * before V007 never passed through the view; afterwards the view keeps it. Old partitions of
 * every table here are dropped by the stream-processor's retention (which also runs where no roller does: the views
 * fill {@code by_time} and the touches whatever rolls them).
 *
 * <p>One roller per database: two would not corrupt anything (each pass stages in tables of its own and swaps whole
 * days), but would do the work twice.
 */
public final class RollupRoller {

    private static final Logger LOG = LoggerFactory.getLogger(RollupRoller.class);
    public static final String NAME = "call_rollups";
    /**
     * The row in {@code rollup_rolls} that says {@code call_rollups_5m_by_server} holds every rolled day (V011 created
     * it empty; the first pass after fills the days rolled before).
     */
    static final String FIVE_MINUTES_READY = "call_rollups_5m_by_server";
    /**
     * The row in {@code rollup_rolls} a pass writes before it swaps in the watermark's hour and day; a state row of a
     * lower version than it means the swap is under way (see {@link State#swapping()}).
     */
    static final String SWAPPING = "call_rollups_swapping";
    /**
     * How long a pass waits after announcing its swap: above the query side's cache of the watermark (1 s) plus a
     * dashboard query's run.
     */
    public static final Duration SWAP_GUARD = Duration.ofSeconds(3);
    /** How long after an hour ends before queries read it from call_rollups_1h. */
    public static final Duration SETTLE = Duration.ofMinutes(2);
    /** Touches are re-read this far back: an insert's touch is stamped when it starts, visible when it ends. */
    static final Duration OVERLAP = Duration.ofMinutes(1);
    /** Above this many (hour, server) pairs in a day, the whole day is rolled (and the SQL stays short). */
    private static final int MAX_PAIRS_PER_DAY = 400;
    private static final int DAY = 86_400;
    private static final int HOUR = 3_600;
    private static final int MINUTE = 60;
    private static final int FIVE_MINUTES = 300;
    private static final int CHUNK_DAYS = 7;
    /** How long a pass may spend compacting finished days (a day of 1,000 tools takes ~2 s); the rest wait. */
    static final Duration COMPACTION_BUDGET = Duration.ofSeconds(20);

    static final String ROLLUP_COLUMNS = "calls, ok, tool_error, transport_error, denied, rate_limited, latency_sum_ms,"
            + " latency_max_ms, latency_zero_count, latency_bins, latency_counts";
    /** Counts summed, sketches merged: one rollup row out of many, for INSERT … SELECT (by position). */
    static final String MERGED = "sum(calls), sum(ok), sum(tool_error), sum(transport_error), sum(denied),"
            + " sum(rate_limited), sum(latency_sum_ms), max(latency_max_ms), sum(latency_zero_count),"
            + " tupleElement(sumMap(latency_bins, latency_counts), 1), tupleElement(sumMap(latency_bins, latency_counts), 2)";

    /**
     * What a pass leaves behind: queries read hours before {@code rolledThrough}, by_time from {@code byTimeFrom}.
     * {@code swapping}: a pass is about to swap in (or is swapping in) the watermark's hour and day, whose rows may
     * then hold minutes after {@code rolledThrough}; until it writes its own state, readers use whole hours only.
     */
    public record State(Instant cursor, Instant rolledThrough, Instant byTimeFrom, boolean fiveMinutes,
                        boolean swapping) {
    }

    /** One pass: the days rebuilt, the minute rows (or hours) they were rebuilt from, how long it took. */
    public record Pass(Instant startedAt, int days, int touchedPairs, boolean first, int compactedDays, Duration took,
                       State state) {
    }

    private final ClickHouseClient client;
    private final int byTimeDays;
    private final Duration overlap;
    private final Duration settle;
    private final Duration swapGuard;

    /**
     * @param byTimeDays    days of call_rollups_1m_by_time kept (ROLLUP_BY_TIME_DAYS)
     */
    public RollupRoller(ClickHouseClient client, int byTimeDays) {
        this(client, byTimeDays, OVERLAP, SETTLE, SWAP_GUARD);
    }

    RollupRoller(ClickHouseClient client, int byTimeDays, Duration overlap) {
        this(client, byTimeDays, overlap, SETTLE, Duration.ZERO);
    }

    RollupRoller(ClickHouseClient client, int byTimeDays, Duration overlap, Duration settle) {
        this(client, byTimeDays, overlap, settle, Duration.ZERO);
    }

    /**
     * @param settle    how long after a minute ends before the rolled tables hold it (tests move the watermark back)
     * @param swapGuard how long a pass waits between announcing its swap and making it: longer than readers keep the
     *                  watermark cached plus a query's run, so none reads the new rows with the old watermark
     */
    RollupRoller(ClickHouseClient client, int byTimeDays, Duration overlap, Duration settle, Duration swapGuard) {
        if (byTimeDays < 1) {
            throw new IllegalArgumentException("retention must be at least a day");
        }
        this.client = client;
        this.byTimeDays = byTimeDays;
        this.overlap = overlap;
        this.settle = settle;
        this.swapGuard = swapGuard;
    }

    private String table(String name) {
        return client.database() + "." + name;
    }

    /** The last pass's state, if any pass completed. */
    public Optional<State> state() {
        return state(client);
    }

    /** The state the roller last wrote in the client's database (read by the query side too). */
    public static Optional<State> state(ClickHouseClient client) {
        JsonNode row = client.query("SELECT count() AS n, toUInt32(argMax(cursor, version)) AS cursor,"
                + " toUInt32(argMax(rolled_through, version)) AS rolled_through,"
                + " toUInt32(argMax(by_time_from, version)) AS by_time_from, max(version) AS state_version,"
                + " (SELECT count() FROM " + client.database() + ".rollup_rolls WHERE name = "
                + SqlLiteral.string(FIVE_MINUTES_READY) + ") AS five_minutes,"
                + " (SELECT max(version) FROM " + client.database() + ".rollup_rolls WHERE name = "
                + SqlLiteral.string(SWAPPING) + ") AS swapping_version FROM " + client.database()
                + ".rollup_rolls WHERE name = " + SqlLiteral.string(NAME)).get(0);
        if (row.get("n").asLong() == 0) {
            return Optional.empty();
        }
        return Optional.of(new State(Instant.ofEpochSecond(row.get("cursor").asLong()),
                Instant.ofEpochSecond(row.get("rolled_through").asLong()),
                Instant.ofEpochSecond(row.get("by_time_from").asLong()), row.get("five_minutes").asLong() > 0,
                row.get("swapping_version").asLong() > row.get("state_version").asLong()));
    }

    /** Rolls what was touched since the last pass (everything, on the first); returns what it did. */
    public synchronized Pass rollOnce() {
        long started = System.nanoTime();
        long now = client.query("SELECT toUInt32(now()) AS now").get(0).get("now").asLong();
        long revision = now * 1000 + (System.currentTimeMillis() % 1000);
        Optional<State> previous = state();
        dropStaleStages(now);
        long rolledThrough = Math.floorDiv(now - settle.toSeconds(), MINUTE) * MINUTE;
        long byTimeCutoff = (Math.floorDiv(now, DAY) - byTimeDays + 1) * DAY;
        SortedMap<Long, Set<Pair>> work = new TreeMap<>();
        int pairs = 0;
        long byTimeFrom;
        if (previous.isEmpty()) {
            // first pass: rows written before V007 reached neither the touches nor by_time
            for (JsonNode row : client.query("SELECT DISTINCT intDiv(toUInt32(window_start), " + DAY + ") AS day FROM "
                    + table("call_rollups_1m") + " ORDER BY day")) {
                work.put(row.get("day").asLong(), Set.of());
            }
            copyIntoByTime(byTimeCutoff, now);
            byTimeFrom = byTimeCutoff;
        } else {
            long since = previous.get().cursor().getEpochSecond() - overlap.toSeconds();
            for (JsonNode row : client.query("SELECT DISTINCT toUInt32(hour) AS hour, server FROM "
                    + table("call_rollups_touched") + " WHERE touched_at >= toDateTime(" + since + ")")) {
                long hour = row.get("hour").asLong();
                work.computeIfAbsent(Math.floorDiv(hour, DAY), d -> new HashSet<>())
                        .add(new Pair(hour, row.get("server").asText()));
                pairs++;
            }
            // minutes the last pass left out (at or after its watermark, settled now), touched since or not
            long caughtUpFrom = previous.get().rolledThrough().getEpochSecond();
            if (caughtUpFrom < rolledThrough) {
                for (JsonNode row : client.query("SELECT DISTINCT intDiv(toUInt32(window_start), " + HOUR + ") * "
                        + HOUR + " AS hour, server FROM " + table(caughtUpFrom >= previous.get().byTimeFrom()
                        .getEpochSecond() ? "call_rollups_1m_by_time" : "call_rollups_1m") + " WHERE window_start >= "
                        + "toDateTime(" + caughtUpFrom + ") AND window_start < toDateTime(" + rolledThrough + ")")) {
                    long hour = row.get("hour").asLong();
                    if (work.computeIfAbsent(Math.floorDiv(hour, DAY), d -> new HashSet<>())
                            .add(new Pair(hour, row.get("server").asText()))) {
                        pairs++;
                    }
                }
            }
            // many servers touched: roll the day's touched hours for every server (a shorter IN list)
            work.replaceAll((day, touched) -> touched.size() <= MAX_PAIRS_PER_DAY ? touched
                    : touched.stream().map(pair -> new Pair(pair.hour(), null)).collect(Collectors.toSet()));
            byTimeFrom = Math.max(previous.get().byTimeFrom().getEpochSecond(), byTimeCutoff);
        }
        Stages stages = new Stages("call_rollups_1h_stage_" + revision, "call_rollups_1d_stage_" + revision,
                "call_rollups_1m_by_server_stage_" + revision, "call_rollups_5m_by_server_stage_" + revision,
                "call_rollups_1h_by_server_stage_" + revision, "call_rollups_1d_by_server_stage_" + revision);
        boolean fiveMinutes = previous.map(State::fiveMinutes).orElse(false);
        if (!work.isEmpty() || !fiveMinutes) {
            client.execute("CREATE TABLE IF NOT EXISTS " + table(stages.hours()) + " AS " + table("call_rollups_1h"));
            client.execute("CREATE TABLE IF NOT EXISTS " + table(stages.days()) + " AS " + table("call_rollups_1d"));
            client.execute("CREATE TABLE IF NOT EXISTS " + table(stages.serverMinutes()) + " AS "
                    + table("call_rollups_1m_by_server"));
            client.execute("CREATE TABLE IF NOT EXISTS " + table(stages.serverFiveMinutes()) + " AS "
                    + table("call_rollups_5m_by_server"));
            client.execute("CREATE TABLE IF NOT EXISTS " + table(stages.serverHours()) + " AS "
                    + table("call_rollups_1h_by_server"));
            client.execute("CREATE TABLE IF NOT EXISTS " + table(stages.serverDays()) + " AS "
                    + table("call_rollups_1d_by_server"));
            if (previous.isPresent() && !work.isEmpty()) {
                // readers stop using the watermark's hour and day rows before they change under the old watermark
                client.execute("INSERT INTO " + table("rollup_rolls") + " (name, cursor, rolled_through,"
                        + " by_time_from, rolled_at, version) VALUES (" + SqlLiteral.string(SWAPPING) + ", " + now
                        + ", " + previous.get().rolledThrough().getEpochSecond() + ", " + byTimeFrom + ", " + now
                        + ", " + revision + ")");
                sleep(swapGuard);
            }
            try {
                for (List<Long> chunk : chunks(work, byTimeFrom)) {
                    rollChunk(chunk, work, byTimeFrom, rolledThrough, stages, revision);
                }
                if (!fiveMinutes) {
                    if (previous.isPresent()) { // a first pass has just rolled every day, five minutes too
                        fillFiveMinutes(stages, revision);
                    }
                    client.execute("INSERT INTO " + table("rollup_rolls") + " (name, cursor, rolled_through,"
                            + " by_time_from, rolled_at, version) VALUES (" + SqlLiteral.string(FIVE_MINUTES_READY)
                            + ", now(), now(), now(), now(), " + revision + ")");
                    fiveMinutes = true;
                }
            } finally {
                client.execute("DROP TABLE IF EXISTS " + table(stages.hours()));
                client.execute("DROP TABLE IF EXISTS " + table(stages.days()));
                client.execute("DROP TABLE IF EXISTS " + table(stages.serverMinutes()));
                client.execute("DROP TABLE IF EXISTS " + table(stages.serverFiveMinutes()));
                client.execute("DROP TABLE IF EXISTS " + table(stages.serverHours()));
                client.execute("DROP TABLE IF EXISTS " + table(stages.serverDays()));
            }
        }
        // the new watermark goes out right after the swaps (ending the swap announced above), before compaction
        State state = new State(Instant.ofEpochSecond(now), Instant.ofEpochSecond(rolledThrough),
                Instant.ofEpochSecond(byTimeFrom), fiveMinutes, false);
        client.execute("INSERT INTO " + table("rollup_rolls") + " (name, cursor, rolled_through, by_time_from,"
                + " rolled_at, version) VALUES (" + SqlLiteral.string(NAME) + ", " + now + ", " + rolledThrough + ", "
                + byTimeFrom + ", " + now + ", " + revision + ")");
        int compacted = compactFinishedDays(Math.floorDiv(rolledThrough, DAY));
        Pass pass = new Pass(Instant.ofEpochSecond(now), work.size(), pairs, previous.isEmpty(), compacted,
                Duration.ofNanos(System.nanoTime() - started), state);
        if (!work.isEmpty()) {
            LOG.info("rolled {} day(s) of minute rollups into hours and days ({} touched hour/server pairs{}) in {} ms",
                    pass.days(), pairs, pass.first() ? ", first pass" : "", pass.took().toMillis());
        }
        if (compacted > 0) {
            LOG.info("compacted {} finished day(s) of call_rollups_1m_by_time into one part each", compacted);
        }
        return pass;
    }

    /**
     * Merges each finished day of {@code call_rollups_1m_by_time} (before {@code today}) that has several parts into
     * one, newest first, for at most {@link #COMPACTION_BUDGET} a pass. The fleet's tools table reads its range's
     * ragged ends from there with FINAL, which 18.16 does by merging the day's parts row by row on one thread: over a
     * day left in four parts (revisions, late events, the first pass's copy) that read took 30–90 ms, over one part
     * 8–11 ms. Background merges do not get there on their own: they leave a day's few large parts alone. A day that
     * gets a late minute afterwards has two parts again and is compacted again.
     */
    private int compactFinishedDays(long today) {
        long started = System.nanoTime();
        int compacted = 0;
        for (JsonNode row : client.query("SELECT partition FROM system.parts WHERE database = "
                + SqlLiteral.string(client.database()) + " AND table = 'call_rollups_1m_by_time' AND active"
                + " GROUP BY partition HAVING count() > 1 AND toUInt32(partition) < " + today
                + " ORDER BY toUInt32(partition) DESC")) {
            if (System.nanoTime() - started > COMPACTION_BUDGET.toNanos()) {
                break;
            }
            client.execute("OPTIMIZE TABLE " + table("call_rollups_1m_by_time") + " PARTITION "
                    + Long.parseLong(row.get("partition").asText()) + " FINAL");
            compacted++;
        }
        return compacted;
    }

    /** A pass's staging tables, one per rolled table. */
    private record Stages(String hours, String days, String serverMinutes, String serverFiveMinutes,
                          String serverHours, String serverDays) {
    }

    /**
     * Once, after V011: every day of server minutes into {@code call_rollups_5m_by_server}, a day per statement (the
     * memory of one sumMap state per bucket). Days already there (rolled by this pass) are rebuilt the same way, and
     * an interrupted fill starts over harmlessly.
     */
    private void fillFiveMinutes(Stages stages, long revision) {
        List<Long> days = new ArrayList<>();
        for (JsonNode row : client.query("SELECT DISTINCT toUInt32(partition) AS day FROM system.parts WHERE database = "
                + SqlLiteral.string(client.database()) + " AND table = 'call_rollups_1m_by_server' AND active"
                + " ORDER BY day")) {
            days.add(row.get("day").asLong());
        }
        for (long day : days) {
            fiveMinutesOf(table("call_rollups_1m_by_server"), stages.serverFiveMinutes(), day * DAY, (day + 1) * DAY,
                    revision);
            swap("call_rollups_5m_by_server", stages.serverFiveMinutes(), day);
        }
        if (!days.isEmpty()) {
            LOG.info("filled call_rollups_5m_by_server from {} day(s) of server minutes rolled before it existed",
                    days.size());
        }
    }

    /** The five-minute rows of [from, to) from server minutes (a table, qualified), into a stage. */
    private void fiveMinutesOf(String serverMinutes, String stage, long from, long to, long revision) {
        client.execute("INSERT INTO " + table(stage) + " SELECT toDateTime(intDiv(toUInt32(window_start), " + FIVE_MINUTES
                + ") * " + FIVE_MINUTES + ") AS five_start, server, '', '', " + MERGED + ", " + revision + ", now() FROM "
                + serverMinutes + " WHERE window_start >= toDateTime(" + from + ") AND window_start < toDateTime(" + to
                + ") GROUP BY five_start, server");
    }

    /** A day's partition of a rolled table replaced by its stage's, which is then emptied for the next day. */
    private void swap(String rolledTable, String stage, long day) {
        client.execute("ALTER TABLE " + table(rolledTable) + " REPLACE PARTITION " + day + " FROM " + table(stage));
        client.execute("ALTER TABLE " + table(stage) + " DROP PARTITION " + day);
    }

    /** An hour (epoch seconds) touched for one server, or for every server when {@code server} is null. */
    private record Pair(long hour, String server) {
    }

    /** Consecutive days read from the same source, at most a week (by_time: one day, it is sorted by time). */
    private static List<List<Long>> chunks(SortedMap<Long, Set<Pair>> work, long byTimeFrom) {
        List<List<Long>> chunks = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        for (long day : work.keySet()) {
            boolean byTime = day * DAY >= byTimeFrom;
            boolean fits = !current.isEmpty() && !byTime && current.get(current.size() - 1) == day - 1
                    && current.size() < CHUNK_DAYS && current.get(0) * DAY < byTimeFrom;
            if (!fits && !current.isEmpty()) {
                chunks.add(current);
                current = new ArrayList<>();
            }
            current.add(day);
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private void rollChunk(List<Long> days, Map<Long, Set<Pair>> work, long byTimeFrom, long rolledThrough,
                           Stages stages, long revision) {
        String stage1h = stages.hours();
        String stage1d = stages.days();
        String stageServer = stages.serverMinutes();
        String stageServerHours = stages.serverHours();
        String stageServerDays = stages.serverDays();
        long from = days.get(0) * DAY;
        long to = (days.get(days.size() - 1) + 1) * DAY;
        String source = from >= byTimeFrom ? "call_rollups_1m_by_time" : "call_rollups_1m";
        String range = "window_start >= toDateTime(" + from + ") AND window_start < toDateTime(" + to + ")";
        List<String> whole = new ArrayList<>();
        List<String> hours = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (long day : days) {
            if (work.get(day).isEmpty()) {
                whole.add(String.valueOf(day));
                continue;
            }
            work.get(day).stream().sorted(Comparator.comparing(Pair::hour)
                    .thenComparing(Pair::server, Comparator.nullsFirst(Comparator.naturalOrder()))).forEach(pair -> {
                        if (pair.server() == null) {
                            hours.add(String.valueOf(pair.hour() / HOUR));
                        } else {
                            pairs.add("(" + pair.hour() / HOUR + ", " + SqlLiteral.string(pair.server()) + ")");
                        }
                    });
        }
        String hourOf = "intDiv(toUInt32(window_start), " + HOUR + ")";
        List<String> conditions = new ArrayList<>();
        if (!whole.isEmpty()) {
            conditions.add("intDiv(toUInt32(window_start), " + DAY + ") IN (" + String.join(", ", whole) + ")");
        }
        if (!hours.isEmpty()) {
            conditions.add(hourOf + " IN (" + String.join(", ", hours) + ")");
        }
        if (!pairs.isEmpty()) {
            conditions.add("(" + hourOf + ", server) IN (" + String.join(", ", pairs) + ")");
        }
        // (PREWHERE under FINAL: these name sort-key columns only, so a minute's revisions pass or fail together)
        // minutes from the watermark on stay out of every table (a later pass adds them), so the watermark's hour
        // holds exactly its minutes before it, the row a query with one bucket reads (see RollupPlanner)
        String touched = String.join(" OR ", conditions);
        String rolled = "(" + touched + ") AND window_start < toDateTime(" + rolledThrough + ")";
        boolean partial = !hours.isEmpty() || !pairs.isEmpty();
        if (partial) {
            // the touched days' other hours and servers, as they are
            client.execute("INSERT INTO " + table(stage1h) + " SELECT * FROM " + table("call_rollups_1h") + " WHERE "
                    + range + " AND NOT (" + touched + ")");
            client.execute("INSERT INTO " + table(stageServer) + " SELECT * FROM " + table("call_rollups_1m_by_server")
                    + " WHERE " + range + " AND NOT (" + touched + ")");
        }
        client.execute("INSERT INTO " + table(stageServer) + " SELECT window_start, server, '', '', " + MERGED + ", "
                + revision + ", now() FROM " + table(source) + " FINAL PREWHERE " + range + " AND (" + rolled + ")"
                + " GROUP BY window_start, server");
        // the days' server minutes are whole in their stage now (untouched ones copied, touched ones rolled): the
        // servers' five minutes, hours and days are merged from them
        fiveMinutesOf(table(stageServer), stages.serverFiveMinutes(), from, to, revision);
        client.execute("INSERT INTO " + table(stageServerHours) + " SELECT toDateTime(intDiv(toUInt32(window_start), "
                + HOUR + ") * " + HOUR + ") AS hour_start, server, '', '', " + MERGED + ", " + revision + ", now() FROM "
                + table(stageServer) + " WHERE " + range + " GROUP BY hour_start, server");
        client.execute("INSERT INTO " + table(stageServerDays) + " SELECT toDateTime(intDiv(toUInt32(window_start), "
                + DAY + ") * " + DAY + ") AS day_start, server, '', '', " + MERGED + ", " + revision + ", now() FROM "
                + table(stageServerHours) + " WHERE " + range + " GROUP BY day_start, server");
        client.execute("INSERT INTO " + table(stage1h) + " SELECT toDateTime(intDiv(toUInt32(window_start), " + HOUR
                + ") * " + HOUR + ") AS hour_start, server, tool, server_version, " + MERGED + ", " + revision
                + ", now() FROM " + table(source) + " FINAL PREWHERE " + range + " AND (" + rolled + ")"
                + " GROUP BY hour_start, server, tool, server_version");
        for (long day : days) {
            client.execute("ALTER TABLE " + table("call_rollups_1h") + " REPLACE PARTITION " + day + " FROM "
                    + table(stage1h));
        }
        client.execute("INSERT INTO " + table(stage1d) + " SELECT toDateTime(intDiv(toUInt32(window_start), " + DAY
                + ") * " + DAY + ") AS day_start, server, tool, server_version, " + MERGED + ", " + revision
                + ", now() FROM " + table(stage1h) + " WHERE " + range + " GROUP BY day_start, server, tool, server_version");
        for (long day : days) {
            client.execute("ALTER TABLE " + table("call_rollups_1m_by_server") + " REPLACE PARTITION " + day + " FROM "
                    + table(stageServer));
            client.execute("ALTER TABLE " + table(stageServer) + " DROP PARTITION " + day);
            swap("call_rollups_5m_by_server", stages.serverFiveMinutes(), day);
            client.execute("ALTER TABLE " + table("call_rollups_1h_by_server") + " REPLACE PARTITION " + day + " FROM "
                    + table(stageServerHours));
            client.execute("ALTER TABLE " + table(stageServerHours) + " DROP PARTITION " + day);
            client.execute("ALTER TABLE " + table("call_rollups_1d_by_server") + " REPLACE PARTITION " + day + " FROM "
                    + table(stageServerDays));
            client.execute("ALTER TABLE " + table(stageServerDays) + " DROP PARTITION " + day);
            client.execute("ALTER TABLE " + table("call_rollups_1d") + " REPLACE PARTITION " + day + " FROM "
                    + table(stage1d));
            client.execute("ALTER TABLE " + table(stage1h) + " DROP PARTITION " + day);
            client.execute("ALTER TABLE " + table(stage1d) + " DROP PARTITION " + day);
        }
    }

    /** The first pass: the by_time copy gets the minutes written before its view existed (a week at a time). */
    private void copyIntoByTime(long cutoff, long now) {
        for (long from = cutoff; from <= now; from += (long) CHUNK_DAYS * DAY) {
            client.execute("INSERT INTO " + table("call_rollups_1m_by_time") + " SELECT window_start, server, tool,"
                    + " server_version, " + ROLLUP_COLUMNS + ", revision, updated_at FROM " + table("call_rollups_1m")
                    + " FINAL WHERE window_start >= toDateTime(" + from + ") AND window_start < toDateTime("
                    + (from + (long) CHUNK_DAYS * DAY) + ")");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Staging tables of a pass that died (a pass takes minutes at most; these are an hour old). */
    private void dropStaleStages(long now) {
        for (JsonNode row : client.query("SELECT name FROM system.tables WHERE database = "
                + SqlLiteral.string(client.database()) + " AND match(name, '^call_rollups_(1h|1d|1m_by_server|5m_by_server|1h_by_server|1d_by_server)_stage_[0-9]+$')")) {
            String name = row.get("name").asText();
            long millis = Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
            if (millis / 1000 < now - HOUR) {
                client.execute("DROP TABLE IF EXISTS " + table(SqlLiteral.identifier(name)));
            }
        }
    }

}

package io.mcpslo.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every query of every shipped Grafana dashboard runs on the real ClickHouse and returns rows of the right shape. */
class GrafanaDashboardsIT {

    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    /** The last whole five minutes before NOW: the p95 panel's bucket the Java sketch is compared with. */
    private static final Instant P95_BUCKET = Instant.ofEpochSecond(Math.floorDiv(NOW.getEpochSecond(), 300) * 300 - 300);
    private static final LatencySketch SEARCH_V2 = LatencySketch.empty();
    private static final Instant WHOLE_DAY = NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(2));
    private static ClickHouseClient client;

    @BeforeAll
    static void seed() {
        client = ClickHouseTestSupport.freshDatabase("grafana");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        Random random = new Random(3);
        List<CallRollup> rollups = new ArrayList<>();
        // three hours of minutes, so that at least one whole hour lies below the roller's watermark once it rolls
        for (int minute = 1; minute <= 180; minute++) {
            Instant start = NOW.minus(Duration.ofMinutes(minute));
            for (String tool : List.of("search_code_v2", "search_code_v1")) {
                CallRollup rollup = CallRollup.empty(new RollupKey("github", tool, "2.4.1", start));
                for (int i = 0; i < 20; i++) {
                    double latency = Math.round(Math.exp(4.5 + 0.6 * random.nextGaussian()) * 10) / 10.0;
                    Outcome outcome = i == 0 ? Outcome.TOOL_ERROR : i == 1 && minute % 2 == 0 ? Outcome.TRANSPORT_ERROR
                            : Outcome.OK;
                    var envelope = new EventEnvelope(UUID.randomUUID(), start.plusSeconds(i), "gw", "github", "2.4.1",
                            tool, "tools/call", null, null, null, null, null, null);
                    rollup = rollup.plus(new CallEvent(envelope, latency, outcome, null, null, null, null));
                    if (tool.equals("search_code_v2") && !start.isBefore(P95_BUCKET)
                            && start.isBefore(P95_BUCKET.plus(Duration.ofMinutes(5)))) {
                        SEARCH_V2.record(latency);
                    }
                }
                rollups.add(rollup);
            }
        }
        // and a whole UTC day two days back (before every 24-hour range here), which the roller rolls into a day row,
        // with the last six hours of the day before it: the partly covered first day of a range starting there
        for (int minute = -360; minute < 1_440; minute++) {
            Instant start = WHOLE_DAY.plus(Duration.ofMinutes(minute));
            for (String tool : List.of("search_code_v2", "search_code_v1")) {
                CallRollup rollup = CallRollup.empty(new RollupKey("github", tool, "2.4.1", start));
                for (int i = 0; i < 3; i++) {
                    Outcome outcome = i == 0 && minute % 7 == 0 ? Outcome.TOOL_ERROR : Outcome.OK;
                    var envelope = new EventEnvelope(UUID.randomUUID(), start.plusSeconds(i), "gw", "github", "2.4.1",
                            tool, "tools/call", null, null, null, null, null, null);
                    rollup = rollup.plus(new CallEvent(envelope, 40 + random.nextInt(200), outcome, null, null, null, null));
                }
                rollups.add(rollup);
            }
        }
        List<SloStatus> statuses = new ArrayList<>();
        for (int minute = 1; minute <= 30; minute++) {
            Instant at = NOW.minus(Duration.ofMinutes(minute));
            statuses.add(new SloStatus("github-transport", "devtools", at, at.minus(Duration.ofDays(30)), at, 0.995, 0.99,
                    ErrorBudget.of(new Objective(0.99), new EventCounts(10_000, 50), EventCounts.NONE),
                    Map.of("5m", 2.0, "30m", 1.5, "1h", 1.2, "2h", 1.0, "6h", 0.8, "1d", 0.7, "3d", 0.5), List.of(),
                    false, false, false));
        }
        List<AlertTransition> alerts = List.of(new AlertTransition("github-transport", "devtools", AlertKind.PAGE,
                Severity.PAGE, AlertStatus.INACTIVE, AlertStatus.FIRING, NOW.minus(Duration.ofMinutes(10)),
                NOW.minus(Duration.ofMinutes(10)), "mcp-slo:github-transport:page:1", "burning", Map.of("1h", 20.0),
                0.4, "page-1h-5m"));
        var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofMinutes(12)), "gw", "github", null, null,
                null, null, null, null, null, null, null);
        var breakGlass = new AuditEvent(envelope, "oncall@example.com", null, "server.disable", "github", null,
                AuditEvent.Decision.ALLOW, null, "ok", "INC-9: 5xx everywhere");
        var earlier = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofHours(2)), "gw", "github", null,
                "create_pull_request", "tools/call", null, null, "dev@example.com", null, null, null);
        var denied = new AuditEvent(earlier, "dev@example.com", "claude-code/2.1", "tools/call", "github/create_pull_request",
                null, AuditEvent.Decision.DENY, "repo-write/v3", "denied", null);
        var first = AuditChain.next(null, 0, denied);
        var second = AuditChain.next(first, 0, breakGlass);
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups, alerts, statuses, List.of(),
                List.of(new ChainedAudit(denied, first, NOW), new ChainedAudit(breakGlass, second, NOW)), List.of()));
    }

    @AfterAll
    static void drop() {
        ClickHouseTestSupport.drop(client);
    }

    private static String expand(String sql, Map<String, String> variables) {
        return GrafanaQueries.expand(sql, NOW.minus(Duration.ofHours(24)), NOW.plus(Duration.ofMinutes(1)), variables);
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("grafana", "dashboards"))) {
            return files.filter(path -> path.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyPanelVariableAndAnnotationQueryRunsAndReturnsRowsOfTheExpectedShape() throws IOException {
        List<String> checked = new ArrayList<>();
        List<Path> files = dashboards();
        assertEquals(4, files.size(), files.toString());
        for (Path file : files) {
            JsonNode dashboard = EventCodec.MAPPER.readTree(file.toFile());
            Map<String, String> variables = new LinkedHashMap<>();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                List<JsonNode> rows = client.query(expand(variable.get("query").asText(), variables));
                assertFalse(rows.isEmpty(), file + ": variable " + variable.get("name") + " has no value");
                JsonNode first = rows.get(rows.size() > 1 && rows.get(0).elements().next().asText().equals("All") ? 1 : 0);
                variables.put(variable.get("name").asText(), first.elements().next().asText());
                checked.add(file.getFileName() + " $" + variable.get("name").asText());
            }
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    String sql = expand(target.get("rawSql").asText(), variables);
                    List<JsonNode> rows = client.query(sql);
                    String where = file.getFileName() + " / " + panel.get("title").asText();
                    assertFalse(rows.isEmpty(), where + " returned no rows: " + sql);
                    if (panel.get("type").asText().equals("timeseries")) {
                        assertEquals("time", rows.get(0).fieldNames().next(), where + ": a time series starts with time");
                        assertTrue(rows.size() > 1, where + ": a series needs more than one point");
                    }
                    checked.add(where);
                }
            }
            for (JsonNode annotation : dashboard.path("annotations").path("list")) {
                List<JsonNode> rows = client.query(expand(annotation.get("target").get("rawSql").asText(), variables));
                assertFalse(rows.isEmpty(), file + ": annotation " + annotation.get("name") + " found nothing");
                assertTrue(rows.get(0).has("time") && rows.get(0).has("text"), rows.get(0).toString());
                checked.add(file.getFileName() + " @" + annotation.get("name").asText());
            }
        }
        assertTrue(checked.size() >= 20, checked.toString());
    }

    @Test
    void theSqlP95FromSketchBinsAgreesWithTheJavaSketch() throws IOException {
        String sql = explorerPanel("p95");
        // one bucket at the 5-minute interval: the last whole five minutes of search_code_v2, as the Java sketch saw them
        String oneBucket = GrafanaQueries.expand(sql, P95_BUCKET, P95_BUCKET.plus(Duration.ofMinutes(5)).minusSeconds(1),
                300, Map.of("server", "github", "tool", "search_code_v2"));
        List<JsonNode> rows = client.query(oneBucket);
        assertEquals(1, rows.size(), rows.toString());
        double sqlP95 = rows.get(0).get("p95_ms").asDouble();
        assertEquals(SEARCH_V2.quantile(0.95), sqlP95, SEARCH_V2.quantile(0.95) * 1e-9);
    }

    /**
     * The explorer reads whole rolled hours from call_rollups_1h (whole days from call_rollups_1d for the fleet's top
     * failing tools) and only the rest from minutes: once the roller has rolled, every panel answers exactly as it did
     * from minutes alone (the sketches are merged, not re-estimated, so even the p95 is the same), at the minute,
     * five-minute (a server's rolled five minutes) and hour intervals, over a day, over a range holding a whole day
     * (starting in the partly covered day before it) and over one ending inside that day, long before the watermark.
     * And while a pass swaps in the watermark's hour row (which then holds minutes the old watermark does not cover),
     * the panels read whole hours only: the same answers again.
     */
    @Test
    void explorerPanelsAnswerTheSameFromRolledHoursAndDaysAsFromMinutes() throws IOException {
        Instant to = NOW.plus(Duration.ofMinutes(1));
        Instant dayBefore = WHOLE_DAY.minus(Duration.ofHours(5)).plusSeconds(17);
        Map<String, Range> ranges = new LinkedHashMap<>();
        ranges.put("24 h", new Range(NOW.minus(Duration.ofHours(24)).plusSeconds(17), to));
        ranges.put("a whole day", new Range(dayBefore, to));
        // ending inside the whole day, long before the watermark: hours and days end with the range, not the watermark
        ranges.put("ending inside the whole day", new Range(dayBefore, WHOLE_DAY.plus(Duration.ofHours(20)).plusSeconds(30)));
        Map<String, String> variables = Map.of("server", "github", "tool", "search_code_v1");
        Map<String, List<JsonNode>> fromMinutes = new LinkedHashMap<>();
        JsonNode explorer = EventCodec.MAPPER.readTree(Path.of("grafana", "dashboards", "explorer.json").toFile());
        for (var range : ranges.entrySet()) {
            for (long interval : List.of(60L, 300L, 3600L)) {
                for (JsonNode panel : explorer.get("panels")) {
                    String sql = GrafanaQueries.expand(panel.get("targets").get(0).get("rawSql").asText(),
                            range.getValue().from(), range.getValue().to(), interval, variables);
                    fromMinutes.put(panel.get("title").asText() + " @" + interval + "s over " + range.getKey(),
                            client.query(sql));
                }
            }
        }
        RollupRoller roller = new RollupRoller(client, 35);
        long watermark = roller.rollOnce().state().rolledThrough().getEpochSecond();
        while (watermark % 3600 == 0) { // no partial hour row to swap: roll again in the next minute
            sleep(Duration.ofSeconds(61 - Instant.now().getEpochSecond() % 60));
            watermark = roller.rollOnce().state().rolledThrough().getEpochSecond();
        }
        long rolledHours = count("call_rollups_1h WHERE window_start < toDateTime(" + watermark + ")");
        assertTrue(rolledHours > 0, "the roller left no whole hour to read, so this test would prove nothing");
        assertEquals(2, count("call_rollups_1d WHERE window_start = toDateTime(" + WHOLE_DAY.getEpochSecond() + ")"),
                "the roller left no row of the whole day to read, so this test would prove nothing");
        assertSameAsFromMinutes(explorer, ranges, variables, fromMinutes, List.of(60L, 300L, 3600L), "rolled");

        // a pass announces its swap, then swaps in the watermark's hour grown by minutes after the old watermark
        // (here: a newer revision of the row with 1,000 more calls, read beside the old row until a merge, alone after)
        long hour = Math.floorDiv(watermark, 3600) * 3600;
        assertTrue(count("call_rollups_1h WHERE window_start = toDateTime(" + hour + ")") > 0,
                "no row for the watermark's hour " + Instant.ofEpochSecond(hour) + " (the seeded minutes end at "
                        + NOW.minus(Duration.ofMinutes(1)) + "): this part of the test would prove nothing");
        client.execute("INSERT INTO " + client.database() + ".rollup_rolls (name, cursor, rolled_through, by_time_from,"
                + " rolled_at, version) SELECT 'call_rollups_swapping', cursor, rolled_through, by_time_from, rolled_at,"
                + " version + 1 FROM " + client.database() + ".rollup_rolls FINAL WHERE name = 'call_rollups'");
        grow(hour, 1_000);
        try {
            assertSameAsFromMinutes(explorer, ranges, variables, fromMinutes, List.of(3600L), "swapping");
        } finally {
            grow(hour, -1_000);
            client.execute("OPTIMIZE TABLE " + client.database() + ".call_rollups_1h PARTITION "
                    + Math.floorDiv(hour, 86_400) + " FINAL");
            client.execute("INSERT INTO " + client.database() + ".rollup_rolls (name, cursor, rolled_through,"
                    + " by_time_from, rolled_at, version) SELECT name, cursor, rolled_through, by_time_from, rolled_at,"
                    + " version + 2 FROM " + client.database() + ".rollup_rolls FINAL WHERE name = 'call_rollups'");
        }
    }

    /** A range as Grafana sends it. */
    private record Range(Instant from, Instant to) {
    }

    /** The hour's rows once more as a newer revision, with {@code calls} more calls, all ok. */
    private static void grow(long hour, long calls) {
        String columns = "window_start, server, tool, server_version, calls, ok, tool_error, transport_error, denied,"
                + " rate_limited, latency_sum_ms, latency_max_ms, latency_zero_count, latency_bins, latency_counts,"
                + " revision, rolled_at";
        client.execute("INSERT INTO " + client.database() + ".call_rollups_1h (" + columns + ") SELECT "
                + columns.replace("calls, ok,", "calls + (" + calls + "), ok + (" + calls + "),")
                        .replace("revision,", "revision + 1,")
                + " FROM " + client.database() + ".call_rollups_1h FINAL WHERE window_start = toDateTime(" + hour + ")");
    }

    private static void assertSameAsFromMinutes(JsonNode explorer, Map<String, Range> ranges,
                                                Map<String, String> variables, Map<String, List<JsonNode>> fromMinutes,
                                                List<Long> intervals, String when) {
        for (var range : ranges.entrySet()) {
            for (long interval : intervals) {
                for (JsonNode panel : explorer.get("panels")) {
                    String where = panel.get("title").asText() + " @" + interval + "s over " + range.getKey();
                    String sql = GrafanaQueries.expand(panel.get("targets").get(0).get("rawSql").asText(),
                            range.getValue().from(), range.getValue().to(), interval, variables);
                    assertFalse(fromMinutes.get(where).isEmpty(), where + " returned no rows");
                    if (panel.get("title").asText().startsWith("Calls by outcome")) {
                        // at 60, 300 and 3,600 s the buckets are that wide: proof the interval reached the SQL
                        assertEquals(Duration.ofSeconds(interval), Duration.between(time(fromMinutes.get(where).get(1)),
                                time(fromMinutes.get(where).get(2))), where + ": bucket width");
                    }
                    assertSameRows(fromMinutes.get(where), client.query(sql), where + " (" + when + ")");
                }
            }
        }
    }

    private static long count(String tableAndCondition) {
        return client.query("SELECT count() AS n FROM " + client.database() + "." + tableAndCondition).get(0).get("n")
                .asLong();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Instant time(JsonNode row) {
        return Instant.parse(row.get("time").asText().replace(' ', 'T') + "Z");
    }

    /** Equal rows; floating-point sums only to 1e-9 relative, since hours add the same minutes in another order. */
    private static void assertSameRows(List<JsonNode> expected, List<JsonNode> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": rows " + expected + " vs " + actual);
        for (int i = 0; i < expected.size(); i++) {
            for (var field : expected.get(i).properties()) {
                JsonNode want = field.getValue();
                JsonNode got = actual.get(i).get(field.getKey());
                String message = where + ", row " + i + ", " + field.getKey() + ": " + expected.get(i) + " vs " + actual.get(i);
                if (want.isFloatingPointNumber()) {
                    assertEquals(want.asDouble(), got.asDouble(), Math.abs(want.asDouble()) * 1e-9, message);
                } else {
                    assertEquals(want, got, message);
                }
            }
        }
    }

    private static String explorerPanel(String titleStart) throws IOException {
        JsonNode explorer = EventCodec.MAPPER.readTree(Path.of("grafana", "dashboards", "explorer.json").toFile());
        for (JsonNode panel : explorer.get("panels")) {
            if (panel.get("title").asText().startsWith(titleStart)) {
                return panel.get("targets").get(0).get("rawSql").asText();
            }
        }
        throw new AssertionError("no explorer panel titled " + titleStart + "…");
    }
}

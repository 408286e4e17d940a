package io.mcpslo.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
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
import io.mcpslo.processor.sink.ClickHousePipelineStore;
import io.mcpslo.processor.sink.PipelineStore;
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
    private static final LatencySketch SEARCH_V2 = LatencySketch.empty();
    private static ClickHouseClient client;

    @BeforeAll
    static void seed() {
        client = ClickHouseTestSupport.freshDatabase("grafana");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        Random random = new Random(3);
        List<CallRollup> rollups = new ArrayList<>();
        for (int minute = 1; minute <= 60; minute++) {
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
                    if (tool.equals("search_code_v2") && minute <= 5) {
                        SEARCH_V2.record(latency);
                    }
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
        JsonNode explorer = EventCodec.MAPPER.readTree(Path.of("grafana", "dashboards", "explorer.json").toFile());
        String sql = null;
        for (JsonNode panel : explorer.get("panels")) {
            if (panel.get("title").asText().startsWith("p95")) {
                sql = panel.get("targets").get(0).get("rawSql").asText();
            }
        }
        // one bucket: the last five minutes of search_code_v2, as the Java sketch saw them
        Instant bucket = NOW.minus(Duration.ofMinutes(5));
        String oneBucket = GrafanaQueries.substitute(sql.replace("$__timeFilter(window_start)", "window_start >= toDateTime("
                + bucket.getEpochSecond() + ") AND window_start < toDateTime(" + NOW.getEpochSecond() + ")")
                .replace("toStartOfFiveMinute(window_start)", "toDateTime(" + bucket.getEpochSecond() + ")"),
                Map.of("server", "github", "tool", "search_code_v2"), GrafanaQueries::percentEncode);
        double sqlP95 = client.query(oneBucket).get(0).get("p95_ms").asDouble();
        assertEquals(SEARCH_V2.quantile(0.95), sqlP95, SEARCH_V2.quantile(0.95) * 1e-9);
    }
}

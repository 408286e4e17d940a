package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.kafka.Topics;
import io.mcpslo.processor.sink.Sink;
import io.mcpslo.processor.sink.SinkSettings;
import io.mcpslo.processor.sink.SinkTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.clickhouse.storage.ClickHouseRollupStore;
import io.mcpslo.clickhouse.storage.ClickHouseSloStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SLO endpoints over real HTTP against the real ClickHouse, fed through the sink's store. */
class SloApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    private static final String DEDUP_KEY = "mcp-slo:jira-availability:page:1795600000";
    private static ClickHouseClient client;
    private static Javalin app;
    private static Sink ackSink;

    private static SloDefinition slo(String id, String team, String server) {
        return new SloDefinition(id, team, "calls to " + server + " succeed", new SloScope(server, null, null),
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.999), WINDOW,
                AlertPolicy.defaultsFor(WINDOW));
    }

    private static SloStatus status(String id, String team, Instant at, long good, long bad, boolean page) {
        var budget = ErrorBudget.of(new Objective(0.999), new EventCounts(good, bad), new EventCounts(good / 10, bad));
        return new SloStatus(id, team, at, at.minus(WINDOW.length()), at, (double) good / (good + bad), 0.999, budget,
                Map.of("5m", page ? 30.0 : 0.5, "30m", 10.0, "1h", page ? 20.0 : 0.5, "2h", 1.0, "6h", 1.0, "1d", 1.0,
                        "3d", 1.0), List.of(), page, false, false);
    }

    private static AlertTransition transition(AlertStatus from, AlertStatus to, Instant at) {
        return new AlertTransition("jira-availability", "tracker", AlertKind.PAGE, Severity.PAGE, from, to, at,
                NOW.minusSeconds(600), DEDUP_KEY, "jira-availability is burning its error budget fast",
                Map.of("1h", 20.0, "5m", 30.0), 0.4, "page-1h-5m");
    }

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("sloapi");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        List<SloStatus> statuses = new ArrayList<>();
        for (int minute = 60; minute >= 1; minute--) {
            statuses.add(status("jira-availability", "tracker", NOW.minus(Duration.ofMinutes(minute)), 100_000,
                    minute <= 10 ? 400 : 10, minute <= 10));
            statuses.add(status("github-transport", "devtools", NOW.minus(Duration.ofMinutes(minute)), 50_000, 1, false));
        }
        // an SLO whose evaluator stopped three hours ago: its latest snapshot is older than the recent read
        statuses.add(status("quiet-slo", "devtools", NOW.minus(Duration.ofHours(4)), 7_000, 7, false));
        statuses.add(status("quiet-slo", "devtools", NOW.minus(Duration.ofHours(3)), 9_000, 9, false));
        List<AlertTransition> alerts = List.of(
                transition(AlertStatus.INACTIVE, AlertStatus.FIRING, NOW.minusSeconds(600)),
                new AlertTransition("github-transport", "devtools", AlertKind.TICKET, Severity.TICKET,
                        AlertStatus.INACTIVE, AlertStatus.FIRING, NOW.minusSeconds(7200), NOW.minusSeconds(7200),
                        "mcp-slo:github-transport:ticket:1", "slow", Map.of(), 0.9, "ticket-1d-2h"),
                new AlertTransition("github-transport", "devtools", AlertKind.TICKET, Severity.TICKET,
                        AlertStatus.FIRING, AlertStatus.RESOLVED, NOW.minusSeconds(3600), NOW.minusSeconds(7200),
                        "mcp-slo:github-transport:ticket:1", "slow", Map.of(), 0.9, ""));
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), alerts, statuses, List.of(), List.of(), List.of()));
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), alerts, statuses, List.of(), List.of(), List.of())); // a replay
        List<SloDefinition> slos = List.of(slo("jira-availability", "tracker", "jira"),
                slo("github-transport", "devtools", "github"), slo("new-slo", "devtools", "slack"),
                slo("quiet-slo", "devtools", "confluence"));
        app = ApiTestKit.start(client, () -> slos, Clock.fixed(NOW, ZoneOffset.UTC));
        // acknowledgements reach ClickHouse as in production: the API publishes them, the sink copies them
        SinkTable<?> acks = SinkTable.ALL.stream().filter(table -> table.topic().equals(Topics.ACKS)).findFirst()
                .orElseThrow();
        ackSink = new Sink(List.of(acks), ApiTestKit.bootstrapServers(), store,
                new SinkSettings(1_000, Duration.ofMillis(100), Duration.ofSeconds(1)), new SimpleMeterRegistry(),
                Clock.systemUTC()).start();
    }

    @AfterAll
    static void stop() {
        ackSink.close();
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static HttpResponse<String> call(String method, String pathAndQuery, String body) {
        return ApiTestKit.call(app, ApiTestKit.sre, method, pathAndQuery, body);
    }

    private static JsonNode ok(String method, String pathAndQuery, String body, int status) throws Exception {
        HttpResponse<String> response = call(method, pathAndQuery, body);
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String pathAndQuery) throws Exception {
        return ok("GET", pathAndQuery, null, 200);
    }

    @Test
    void theListBringsEverySlosSparklineInOneAnswer() throws Exception {
        JsonNode slos = get("/api/v1/slos?sparkline_hours=6").get("slos");
        JsonNode jira = slos.get(0);
        JsonNode spark = jira.get("sparkline_burn_1h");
        // the last hour's snapshots, one per 5 minutes; the last ten minutes paged at a 1-hour burn rate of 20
        assertEquals(12, spark.size(), jira.toString());
        assertEquals(20.0, spark.get(spark.size() - 1).asDouble(), 1e-9);
        assertEquals(0.5, spark.get(0).asDouble(), 1e-9);
        assertEquals(0, slos.get(2).get("sparkline_burn_1h").size(), "an SLO without snapshots");
        assertEquals(null, get("/api/v1/slos").get("slos").get(0).get("sparkline_burn_1h"), "only when asked");
        for (String bad : new String[] {"0", "49", "six", "6%27"}) {
            HttpResponse<String> refused = call("GET", "/api/v1/slos?sparkline_hours=" + bad, null);
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("sparkline_hours", JSON.readTree(refused.body()).get("field").asText());
        }
    }

    @Test
    void listsEverySloWithItsStateBudgetAndBurnRates() throws Exception {
        JsonNode slos = get("/api/v1/slos").get("slos");
        assertEquals(4, slos.size());
        JsonNode jira = slos.get(0);
        assertEquals("jira-availability", jira.get("id").asText());
        assertEquals("page", jira.get("state").asText(), "a firing page makes the state");
        assertEquals(400, jira.get("status").get("bad").asLong());
        assertEquals(20.0, jira.get("status").get("burn_rates").get("1h").asDouble(), 1e-9);
        double remaining = jira.get("status").get("budget_remaining").asDouble();
        assertEquals(1 - 400 / (0.001 * 100_400), remaining, 1e-9);
        assertEquals(DEDUP_KEY, jira.get("active_alerts").get(0).get("dedup_key").asText());
        assertEquals("ok", slos.get(1).get("state").asText(), "github's ticket resolved");
        assertEquals("no-data", slos.get(2).get("state").asText());
        assertEquals(1, get("/api/v1/slos?team=devtools&server=github").get("slos").size());
    }

    @Test
    void anSloQuietForHoursStillShowsItsLastSnapshot() throws Exception {
        JsonNode quiet = get("/api/v1/slos").get("slos").get(3);
        assertEquals("quiet-slo", quiet.get("id").asText());
        assertEquals(NOW.minus(Duration.ofHours(3)).toString(), quiet.get("status").get("at").asText(), quiet.toString());
        assertEquals(9, quiet.get("status").get("bad").asLong());
        JsonNode one = get("/api/v1/slos/quiet-slo?from=2026-11-25T11:00:00Z&to=2026-11-25T12:00:00Z&step=5m");
        assertEquals(9, one.get("status").get("bad").asLong(), one.toString());
        assertEquals(0, one.get("series").size(), "nothing in the asked hour");
        JsonNode jira = get("/api/v1/slos/jira-availability?from=2026-11-25T11:00:00Z&to=2026-11-25T12:00:00Z");
        assertEquals(NOW.minus(Duration.ofMinutes(1)).toString(), jira.get("status").get("at").asText(),
                "the newest of an SLO's recent snapshots");
    }

    @Test
    void oneSloCarriesItsSeriesAndAlertHistoryForTheRange() throws Exception {
        JsonNode jira = get("/api/v1/slos/jira-availability?from=2026-11-25T11:00:00Z&to=2026-11-25T12:00:00Z&step=5m");
        JsonNode series = jira.get("series");
        assertEquals(12, series.size(), "one point per 5 minutes");
        assertEquals("2026-11-25T11:04:00Z", series.get(0).get("at").asText(), "the last snapshot of each step");
        assertEquals(1, jira.get("alerts").size());
        assertEquals(404, call("GET", "/api/v1/slos/nope", null).statusCode());
    }

    @Test
    void alertsFilterByStateAndSloAndAcknowledgementsAreRecordedAndAudited() throws Exception {
        assertEquals(1, get("/api/v1/alerts?state=active").get("alerts").size());
        JsonNode history = get("/api/v1/alerts?slo=github-transport&from=2026-11-25T09:00:00Z").get("alerts");
        assertEquals(List.of("resolved", "firing"), List.of(history.get(0).get("to").asText(),
                history.get(1).get("to").asText()), "newest first, the replay collapsed");
        JsonNode answer = ok("POST", "/api/v1/alerts/" + DEDUP_KEY + "/ack", "{\"comment\":\"looking\"}", 201);
        assertEquals("sre-sam", answer.get("acked_by").asText());
        assertEquals(NOW.toString(), answer.get("acked_at").asText());
        JsonNode acked = awaitAcked(DEDUP_KEY);
        assertEquals("sre-sam", acked.get("acked_by").asText(), "the token's owner acknowledged");
        assertEquals(NOW.toString(), acked.get("acked_at").asText());
        assertEquals(404, call("POST", "/api/v1/alerts/mcp-slo:none:page:1/ack", "{}").statusCode());
        // other test classes share the broker, so the event is looked up by what it is about
        var audit = ApiTestKit.publishedAuditEvents().stream()
                .filter(event -> event.action().equals("alert.acknowledge") && event.resource().equals("alert/" + DEDUP_KEY))
                .findFirst().orElseThrow();
        assertEquals("sre-sam", audit.actor());
        assertEquals("looking", audit.reason());
    }

    /** The alert as the list shows it once the sink has copied its acknowledgement to ClickHouse. */
    private static JsonNode awaitAcked(String dedupKey) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode alert : get("/api/v1/alerts?state=active").get("alerts")) {
                if (alert.get("dedup_key").asText().equals(dedupKey) && !alert.get("acked_by").isNull()) {
                    return alert;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the acknowledgement of " + dedupKey + " never reached the alert list");
            }
            Thread.sleep(100);
        }
    }

    @Test
    void anAcknowledgementCommentStorageWouldRefuseIsA400NamingComment() throws Exception {
        for (String comment : List.of("on it\\ud800", "\\udc00", "line\\nbreak", "nul\\u0000", "x".repeat(10_000))) {
            HttpResponse<String> response = call("POST", "/api/v1/alerts/" + DEDUP_KEY + "/ack",
                    "{\"comment\":\"" + comment + "\"}");
            assertEquals(400, response.statusCode(), response.body());
            assertEquals("comment", JSON.readTree(response.body()).get("field").asText(), response.body());
        }
    }

    @Test
    void silencesAreCreatedListedExpiredAndAudited() throws Exception {
        JsonNode created = ok("POST", "/api/v1/silences", """
                {"matchers": {"slo": "jira-availability"}, "duration": "2h", "comment": "jira maintenance"}""", 201);
        assertEquals("sre-sam", created.get("created_by").asText());
        String id = created.get("id").asText();
        assertEquals("active", created.get("state").asText());
        assertEquals("2026-11-25T14:00:00Z", created.get("ends_at").asText());
        assertTrue(get("/api/v1/silences").get("silences").findValuesAsText("id").contains(id));
        JsonNode expired = ok("DELETE", "/api/v1/silences/" + id, null, 200);
        assertEquals("expired", expired.get("state").asText());
        assertTrue(!get("/api/v1/silences").get("silences").findValuesAsText("id").contains(id));
        assertTrue(get("/api/v1/silences?expired=true").get("silences").findValuesAsText("id").contains(id));
        List<String> actions = ApiTestKit.publishedAuditEvents().stream()
                .filter(event -> ("silence/" + id).equals(event.resource())).map(event -> event.action()).toList();
        assertEquals(List.of("silence.create", "silence.expire"), actions);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"matchers\": {}, \"duration\": \"1h\", \"comment\": \"c\"}|matchers",
        "{\"matchers\": {\"host\": \"a\"}, \"duration\": \"1h\", \"comment\": \"c\"}|matchers.host",
        "{\"matchers\": {\"slo\": 7}, \"duration\": \"1h\", \"comment\": \"c\"}|matchers.slo",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"banana\", \"comment\": \"c\"}|duration",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"90d\", \"comment\": \"c\"}|ends_at",
        "{\"matchers\": {\"slo\": \"a\"}, \"ends_at\": \"2020-01-01T00:00:00Z\", \"comment\": \"c\"}|ends_at",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"1h\"}|comment",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"1h\", \"comment\": \"c\", \"created_by\": \"x\"}|created_by",
        "{\"matchers\": {\"slo\": \"a\\ud800\"}, \"duration\": \"1h\", \"comment\": \"c\"}|matchers.slo",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"1h\", \"comment\": \"c\\u0000\"}|comment",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"1h\", \"comment\": \"maintenance\\n\"}|comment",
        "{\"matchers\": {\"slo\": \"a\"}, \"duration\": \"1h\", \"comment\": \"\\udc00\"}|comment",
        "not json|body",
        "[1, 2]|body"})
    void badSilencesAreRefusedNamingTheField(String bodyAndField) throws Exception {
        String[] parts = bodyAndField.split("\\|");
        HttpResponse<String> response = call("POST", "/api/v1/silences", parts[0]);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(parts[1], JSON.readTree(response.body()).get("field").asText(), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/v1/alerts?slo=x'%20OR%201=1%20--|slo",
        "/api/v1/alerts?team=%00|team",
        "/api/v1/alerts?state=everything|state",
        "/api/v1/alerts?limit=1e9|limit",
        "/api/v1/alerts?severity=critical|severity",
        "/api/v1/alerts?wat=1|wat",
        "/api/v1/slos?team=a&team=b|team",
        "/api/v1/slos/jira-availability?step=7m|step",
        "/api/v1/slos/jira-availability?from=yesterday|from",
        "/api/v1/slos/DROP%20TABLE|id",
        "/api/v1/silences/not-a-uuid|id"})
    void hostileParametersAreRefusedNamingTheField(String pathAndField) throws Exception {
        String[] parts = pathAndField.split("\\|");
        HttpResponse<String> response = call("GET", parts[0], null);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(parts[1], JSON.readTree(response.body()).get("field").asText(), response.body());
    }

    @Test
    void aHugeQuotedTeamNameFindsNothingRatherThanBreakingTheQuery() throws Exception {
        String team = URLEncoder.encode("a".repeat(99), StandardCharsets.UTF_8);
        assertEquals(0, get("/api/v1/alerts?team=" + team).get("alerts").size());
    }
}

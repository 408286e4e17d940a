package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The query API over real HTTP against the real ClickHouse, with rollups written as the pipeline writes them. */
class QueryApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    private static ClickHouseClient client;
    private static Javalin app;
    private static final LatencySketch ALL_V2 = LatencySketch.empty();
    private static long v2Calls;
    private static long v2ToolErrors;
    private static long v2TransportErrors;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("query");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        Random random = new Random(3);
        List<CallRollup> rollups = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) {
            for (String tool : List.of("search_code_v1", "search_code_v2")) {
                CallRollup rollup = null;
                for (int i = 0; i < 40; i++) {
                    Outcome outcome = i % 10 == 0 ? Outcome.TOOL_ERROR : i % 13 == 0 ? Outcome.TRANSPORT_ERROR : Outcome.OK;
                    double latency = Math.exp(Math.log(tool.endsWith("v2") ? 60 : 150) + random.nextGaussian() * 0.8);
                    CallEvent call = call(START.plusSeconds(minute * 60L + i), tool, latency, outcome);
                    rollup = (rollup == null ? CallRollup.empty(CallRollup.keyOf(call)) : rollup).plus(call);
                    if (tool.endsWith("v2")) {
                        ALL_V2.record(latency);
                        v2Calls++;
                        v2ToolErrors += outcome == Outcome.TOOL_ERROR ? 1 : 0;
                        v2TransportErrors += outcome == Outcome.TRANSPORT_ERROR ? 1 : 0;
                    }
                    if (i == 19) {
                        rollups.add(rollup); // an earlier emission of the same window, superseded below
                    }
                }
                rollups.add(rollup);
            }
        }
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups.subList(0, rollups.size() / 2)));
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups.subList(rollups.size() / 2, rollups.size())));
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups)); // a replay
        store.write(new PipelineStore.Batch(List.of(
                traced(call(START.plusSeconds(300), "search_code_v2", 80, Outcome.TOOL_ERROR), TRACE, SPAN),
                traced(call(START.plusSeconds(360), "search_code_v2", 40, Outcome.OK), TRACE, "1111111111111111"),
                call(START.plusSeconds(420), "search_code_v1", 900, Outcome.TRANSPORT_ERROR)), List.of(), List.of()));
        app = ApiTestKit.start(client, List::of, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));
    }

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    /** The same call, as it arrives from an OTLP span. */
    private static CallEvent traced(CallEvent call, String traceId, String spanId) {
        var e = call.envelope();
        return new CallEvent(new EventEnvelope(e.eventId(), e.ts(), e.source(), e.server(), e.serverVersion(), e.tool(),
                e.method(), e.protocolVersion(), e.sessionId(), e.user(), e.team(), traceId, spanId), call.durationMs(),
                call.outcome(), call.errorCode(), call.errorType(), call.retry(), call.responseBytes());
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static CallEvent call(Instant ts, String tool, double latency, Outcome outcome) {
        var envelope = new EventEnvelope(UUID.randomUUID(), ts, "gw", "github", "2.0", tool, "tools/call", null, null,
                null, null, null, null);
        return new CallEvent(envelope, latency, outcome, null, null, null, null);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery))
                        .header("Authorization", "Bearer " + ApiTestKit.sre).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static final String RANGE = "&from=2026-11-25T10:00:00Z&to=2026-11-25T10:30:00Z";

    @Test
    void p95OverTheWholeRangeComesFromTheMergedSketch() throws Exception {
        JsonNode body = getJson("/api/v1/latency?server=github&tool=search_code_v2&step=all" + RANGE);
        JsonNode point = body.get("points").get(0);
        assertEquals(1, body.get("points").size());
        assertEquals(v2Calls, point.get("calls").asLong(), "replays and superseded emissions count once");
        assertEquals(ALL_V2.quantile(0.95), point.get("p95_ms").asDouble(), 0.001);
        assertEquals(ALL_V2.quantile(0.50), point.get("p50_ms").asDouble(), 0.001);
    }

    @Test
    void fiveMinuteStepsGiveSixBucketsWithOutcomeRatios() throws Exception {
        JsonNode body = getJson("/api/v1/failures?server=github&tool=search_code_v2&step=5m" + RANGE);
        JsonNode points = body.get("points");
        assertEquals(6, points.size());
        long calls = 0;
        long toolErrors = 0;
        long transportErrors = 0;
        for (JsonNode point : points) {
            calls += point.get("calls").asLong();
            toolErrors += point.get("tool_error").asLong();
            transportErrors += point.get("transport_error").asLong();
            assertEquals(200, point.get("calls").asLong());
            assertEquals(point.get("tool_error").asDouble() / 200, point.get("ratios").get("tool_error").asDouble(), 1e-9);
        }
        assertEquals(v2Calls, calls);
        assertEquals(v2ToolErrors, toolErrors);
        assertEquals(v2TransportErrors, transportErrors);
    }

    @Test
    void bucketsWithoutTrafficAreReportedEmpty() throws Exception {
        JsonNode points = getJson("/api/v1/latency?tool=search_code_v1&step=1h&from=2026-11-25T09:00:00Z"
                + "&to=2026-11-25T11:00:00Z").get("points");
        assertEquals(2, points.size());
        assertEquals(0, points.get(0).get("calls").asLong());
        assertTrue(points.get(0).get("p95_ms").isNull());
        assertEquals(1200, points.get(1).get("calls").asLong());
    }

    @Test
    void withoutFiltersEveryToolCounts() throws Exception {
        JsonNode point = getJson("/api/v1/failures?step=all" + RANGE).get("points").get(0);
        assertEquals(2 * v2Calls, point.get("calls").asLong());
    }

    @Test
    void recentCallsNewestFirstLinkToTheirTraceWhenTheyCameFromASpan() throws Exception {
        JsonNode failed = getJson("/api/v1/calls?server=github&outcome=tool_error,transport_error,denied,rate_limited"
                + RANGE).get("calls");
        assertEquals(2, failed.size(), failed.toString());
        assertEquals(List.of("transport_error", "tool_error"), List.of(failed.get(0).get("outcome").asText(),
                failed.get(1).get("outcome").asText()));
        assertTrue(failed.get(0).get("trace_url").isNull(), "no span, no link: " + failed.get(0));
        assertEquals(TRACE, failed.get(1).get("trace_id").asText());
        assertEquals("https://tempo.example/explore?trace=" + TRACE + "&span=" + SPAN,
                failed.get(1).get("trace_url").asText());
        JsonNode newestV2 = getJson("/api/v1/calls?tool=search_code_v2&limit=1" + RANGE).get("calls");
        assertEquals(1, newestV2.size());
        assertEquals("ok", newestV2.get(0).get("outcome").asText());
        assertEquals(40.0, newestV2.get(0).get("duration_ms").asDouble());
        for (String[] bad : new String[][] {{"outcome=broken", "outcome"}, {"limit=0", "limit"}, {"step=1m", "step"}}) {
            HttpResponse<String> response = get("/api/v1/calls?" + bad[0]);
            assertEquals(400, response.statusCode(), response.body());
            assertEquals(bad[1], JSON.readTree(response.body()).get("field").asText(), response.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "github' OR '1'='1", "\\", "\\'", "x'; DROP TABLE call_rollups_1m; --",
            "search_code_v2\\' OR 1=1 --", "%00", "\"", "tool) OR (1=1", "FORMAT TSV"})
    void hostileFiltersGiveAnEmptyResultNeverAnInjection(String hostile) throws Exception {
        for (String field : List.of("server", "tool", "version")) {
            HttpResponse<String> response = get("/api/v1/failures?step=all" + RANGE + "&" + field + "="
                    + URLEncoder.encode(hostile, StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), field + "=" + hostile + " -> " + response.body());
            assertEquals(0, JSON.readTree(response.body()).get("points").get(0).get("calls").asLong(), hostile);
        }
        assertTrue(client.query("SELECT count() AS n FROM call_rollups_1m").get(0).get("n").asLong() > 0,
                "the table is still there");
    }
}

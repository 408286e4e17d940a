package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.schemas.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline through its real parts: HTTP into the collector, the embedded Kafka broker, the
 * Kafka Streams topology, the ClickHouse sink, the real ClickHouse, and the query API over HTTP.
 */
class PipelineEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int V1_CALLS = 100;
    private static final int V2_CALLS = 200;

    private static ClickHouseClient clickHouse;
    private static Pipeline pipeline;
    private static TestPipeline running;

    @BeforeAll
    static void start() throws Exception {
        running = TestPipeline.start("e2e");
        clickHouse = running.clickHouse();
        pipeline = running.pipeline();
    }

    @AfterAll
    static void stop() {
        TestPipeline.stop(running);
    }

    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
    private static final LatencySketch V2_LATENCIES = LatencySketch.empty();
    private static final ArrayNode BATCH = batch();
    private static int v2ToolErrors;
    private static int v2TransportErrors;

    private static ArrayNode batch() {
        Random random = new Random(11);
        ArrayNode batch = EventCodec.MAPPER.createArrayNode();
        for (int i = 0; i < V1_CALLS + V2_CALLS; i++) {
            boolean v2 = i >= V1_CALLS;
            double latency = Math.round(Math.exp(Math.log(v2 ? 90 : 200) + 0.7 * random.nextGaussian()) * 10) / 10.0;
            String outcome = i % 20 == 0 ? "tool_error" : i % 33 == 0 ? "transport_error" : "ok";
            if (v2) {
                V2_LATENCIES.record(latency);
                v2ToolErrors += outcome.equals("tool_error") ? 1 : 0;
                v2TransportErrors += outcome.equals("transport_error") ? 1 : 0;
            }
            ObjectNode event = batch.addObject();
            event.put("event_id", UUID.randomUUID().toString());
            event.put("kind", "call");
            event.put("ts", BASE.plusMillis(random.nextInt(3 * 60_000)).toString());
            event.put("source", LocalTokens.GATEWAY_ID);
            event.put("server", "e2e");
            event.put("server_version", "1.0");
            event.put("tool", v2 ? "search_code_v2" : "search_code_v1");
            event.put("method", "tools/call");
            event.put("duration_ms", latency);
            event.put("outcome", outcome);
        }
        for (String action : new String[] {"server.disable", "server.enable"}) {
            ObjectNode audit = batch.addObject();
            audit.put("event_id", UUID.randomUUID().toString());
            audit.put("kind", "audit");
            audit.put("ts", BASE.plusSeconds(30).toString());
            audit.put("source", LocalTokens.GATEWAY_ID);
            audit.put("server", "e2e");
            audit.put("actor", "oncall@example.com");
            audit.put("action", action);
            audit.put("decision", "allow");
            audit.put("reason", "INC-7: e2e drill");
        }
        return batch;
    }

    private static HttpResponse<String> postBatch() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + pipeline.tokens().gateway())
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.MAPPER.writeValueAsBytes(BATCH))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long scalar(String sql) {
        return clickHouse.query("SELECT (" + sql + ") AS v").get(0).get("v").asLong();
    }

    private static void awaitAtLeast(String what, long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long value = actual.getAsLong();
        while (value < expected && System.nanoTime() < deadline) {
            Thread.sleep(250);
            value = actual.getAsLong();
        }
        assertEquals(expected, value, what + " did not arrive within 90 s");
    }

    private static long processorMetric(String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + pipeline.processorMetricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            // the processor's metrics port is bound to localhost and unauthenticated, like a Prometheus target
            return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode query(String endpoint, String tool) throws Exception {
        String url = "http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/" + endpoint + "?server=e2e&tool=" + tool
                + "&step=all&from=" + BASE + "&to=" + BASE.plus(Duration.ofMinutes(3));
        HttpResponse<String> response = get(url, pipeline.tokens().sre());
        assertEquals(200, response.statusCode(), response.body());
        return EventCodec.MAPPER.readTree(response.body()).get("points").get(0);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void assertStoredOnce() throws Exception {
        assertEquals(V1_CALLS + V2_CALLS, scalar("SELECT count() FROM calls FINAL WHERE server = 'e2e'"));
        assertEquals(V2_CALLS, scalar("SELECT sum(calls) FROM call_rollups_1m FINAL WHERE tool = 'search_code_v2'"));
        assertEquals(V1_CALLS, scalar("SELECT sum(calls) FROM call_rollups_1m FINAL WHERE tool = 'search_code_v1'"));
        assertEquals(3, scalar("SELECT uniqExact(window_start) FROM call_rollups_1m FINAL WHERE server = 'e2e'"));
        assertEquals(2, scalar("SELECT count() FROM audit_events FINAL WHERE server = 'e2e'"));

        JsonNode failures = query("failures", "search_code_v2");
        assertEquals(V2_CALLS, failures.get("calls").asLong());
        assertEquals(v2ToolErrors, failures.get("tool_error").asLong());
        assertEquals(v2TransportErrors, failures.get("transport_error").asLong());
        JsonNode latency = query("latency", "search_code_v2");
        assertEquals(V2_LATENCIES.quantile(0.95), latency.get("p95_ms").asDouble(), 0.001);
        assertEquals(V2_LATENCIES.quantile(0.99), latency.get("p99_ms").asDouble(), 0.001);
    }

    @Test
    void batchPostedOverHttpEndsUpAsExactlyTheExpectedRowsAndRollupsAndCountsOnceWhenPostedTwice() throws Exception {
        HttpResponse<String> first = postBatch();
        assertEquals(200, first.statusCode(), first.body());
        awaitAtLeast("raw calls", V1_CALLS + V2_CALLS, () -> scalar("SELECT count() FROM calls FINAL WHERE server = 'e2e'"));
        awaitAtLeast("rollups", V1_CALLS + V2_CALLS,
                () -> scalar("SELECT sum(calls) FROM call_rollups_1m FINAL WHERE server = 'e2e'"));
        awaitAtLeast("audit events", 2, () -> scalar("SELECT count() FROM audit_events FINAL WHERE server = 'e2e'"));
        assertStoredOnce();

        long writtenBefore = processorMetric("mcp_sink_records_written_total");
        // other tests share the pipeline and may resend their own batches: count this replay's duplicates only
        long duplicatesBefore = processorMetric("mcp_processor_calls_duplicate_total");
        HttpResponse<String> replay = postBatch();
        assertEquals(200, replay.statusCode(), replay.body());
        awaitAtLeast("duplicates seen by the rollup", duplicatesBefore + V1_CALLS + V2_CALLS,
                () -> processorMetric("mcp_processor_calls_duplicate_total"));
        awaitAtLeast("replayed raw rows written", writtenBefore + V1_CALLS + V2_CALLS + 2,
                () -> Math.min(processorMetric("mcp_sink_records_written_total"), writtenBefore + V1_CALLS + V2_CALLS + 2));
        assertStoredOnce();
    }

    @Test
    void theSimulatedIncidentPagesTheLocalReceiverAndTheSloShowsIt() throws Exception {
        var simulator = new TrafficSimulator(new TrafficSimulator.Options(
                URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events"), pipeline.tokens().gateway(), 300,
                Duration.ofSeconds(5), Duration.ofSeconds(40), 42), java.time.Clock.systemUTC());
        Thread thread = Thread.ofPlatform().name("e2e-simulator").daemon().start(simulator);
        try {
            String pages = "http://127.0.0.1:" + pipeline.receiver().port() + "/pages";
            JsonNode trigger = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (trigger == null && System.nanoTime() < deadline) {
                Thread.sleep(500);
                for (JsonNode page : EventCodec.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(pages))
                        .build(), HttpResponse.BodyHandlers.ofString()).body())) { // the local receiver needs no token
                    if (page.get("path").asText().equals("/pagerduty")
                            && page.get("body").path("payload").path("component").asText().equals("jira-availability")) {
                        trigger = page.get("body");
                    }
                }
            }
            if (trigger == null) {
                throw new AssertionError("the jira incident did not page the local receiver within 90 s");
            }
            assertEquals("trigger", trigger.get("event_action").asText());
            assertEquals("local-test-routing-key", trigger.get("routing_key").asText());
            assertEquals("critical", trigger.get("payload").get("severity").asText());

            String slos = "http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/slos?team=tracker";
            String state = "";
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!state.equals("page") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                JsonNode jira = EventCodec.MAPPER.readTree(get(slos, pipeline.tokens().sre()).body()).get("slos").get(0);
                state = jira.get("state").asText();
            }
            assertEquals("page", state, "the SLO list shows the page once the history reached ClickHouse");
        } finally {
            simulator.close();
            thread.join(5_000);
        }
    }

    @Test
    void auditEventsAreChainedStoredQueryableAndVerifyIntact() throws Exception {
        assertEquals(200, postBatch().statusCode());
        String query = "http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/audit?actor=oncall%40example.com&from="
                + BASE.minus(Duration.ofMinutes(1));
        JsonNode events = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            events = EventCodec.MAPPER.readTree(get(query, pipeline.tokens().auditor()).body()).get("events");
            if (events.size() >= 2) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(2, events.size(), "the two break-glass drill events, chained and stored once: " + events);
        assertEquals(403, get(query, pipeline.tokens().sre()).statusCode(), "an sre token may not read the audit log");
        JsonNode report = EventCodec.MAPPER.readTree(get("http://127.0.0.1:" + pipeline.queryPort()
                + "/api/v1/audit/verify", pipeline.tokens().auditor()).body());
        assertEquals(true, report.get("intact").asBoolean(), report.toString());
        JsonNode acts = EventCodec.MAPPER.readTree(get("http://127.0.0.1:" + pipeline.queryPort()
                + "/api/v1/audit/break-glass?from=" + BASE.minus(Duration.ofMinutes(1)), pipeline.tokens().sre()).body())
                .get("acts");
        assertEquals("server.disable", acts.get(0).get("action").asText());
    }
}

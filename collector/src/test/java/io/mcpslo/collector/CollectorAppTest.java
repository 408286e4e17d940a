package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.mcpslo.common.config.Settings;
import io.mcpslo.schemas.McpEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector's HTTP contract, bad input first, against a publisher that records what it was given. */
class CollectorAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    private final List<McpEvent> published = new CopyOnWriteArrayList<>();
    private volatile boolean kafkaDown;
    private Javalin app;
    private int port;

    @BeforeEach
    void start() {
        start(Map.of("COLLECTOR_PORT", "0", "COLLECTOR_MAX_BODY_BYTES", "65536", "COLLECTOR_MAX_BATCH_EVENTS", "100"));
    }

    private void start(Map<String, String> settings) {
        var config = CollectorConfig.from(new Settings(settings));
        EventPublisher publisher = new EventPublisher() {
            @Override
            public void publish(List<McpEvent> events) {
                if (kafkaDown) {
                    throw new PublishFailedException("broker gone", null);
                }
                published.addAll(events);
            }

            @Override
            public void close() {
            }
        };
        app = CollectorApp.create(config, CLOCK, publisher,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), TestTokens.auth()).start(0);
        port = app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    static String call(String eventId, String outcome) {
        return """
                {"event_id":"%s","kind":"call","ts":"2026-11-25T11:59:00.000Z","source":"gw","server":"github",
                 "tool":"search_code_v2","method":"tools/call","duration_ms":12.5,"outcome":"%s"}"""
                .formatted(eventId, outcome).replace("\n", "");
    }

    static String audit(String eventId, String ts) {
        return """
                {"event_id":"%s","kind":"audit","ts":"%s","source":"gw","server":"jira","actor":"oncall@example.com",
                 "action":"server.disable","decision":"allow","reason":"INC-1"}""".formatted(eventId, ts).replace("\n", "");
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return HttpTestClient.post(port, "/v1/events", contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void acceptsJsonArrayAndAnswersAfterPublishing() throws Exception {
        var response = post("application/json", "[" + call(UUID.randomUUID().toString(), "ok") + ","
                + call(UUID.randomUUID().toString(), "tool_error") + "]");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, json(response).get("accepted").asInt());
        assertEquals(2, published.size());
    }

    @Test
    void acceptsNdjsonAndASingleObject() throws Exception {
        var ndjson = post("application/x-ndjson", call(UUID.randomUUID().toString(), "ok") + "\n\n"
                + call(UUID.randomUUID().toString(), "denied") + "\n");
        assertEquals(200, ndjson.statusCode(), ndjson.body());
        var single = post("application/json", call(UUID.randomUUID().toString(), "rate_limited"));
        assertEquals(200, single.statusCode(), single.body());
        assertEquals(3, published.size());
    }

    @Test
    void malformedJsonIsA400NamingTheBody() throws Exception {
        var response = post("application/json", "[{\"event_id\": ");
        assertEquals(400, response.statusCode());
        assertEquals("body", json(response).get("field").asText());
        assertTrue(json(response).get("error").asText().startsWith("malformed JSON"), response.body());
        assertEquals(0, published.size());
    }

    @Test
    void emptyBodyIsA400() throws Exception {
        for (String body : new String[] {"", "  \n", "[]"}) {
            var response = post("application/json", body);
            assertEquals(400, response.statusCode(), body);
            assertEquals("body", json(response).get("field").asText());
        }
    }

    @Test
    void oversizedBodyIsA413AndNothingIsPublished() throws Exception {
        String big = "[" + (call(UUID.randomUUID().toString(), "ok") + ",").repeat(400) + call(UUID.randomUUID().toString(), "ok") + "]";
        var response = post("application/json", big);
        assertEquals(413, response.statusCode());
        assertTrue(json(response).get("error").asText().contains("COLLECTOR_MAX_BODY_BYTES"), response.body());
        assertEquals(0, published.size());
    }

    @Test
    void tooManyEventsIsA413() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            body.append("{}\n");
        }
        var response = post("application/x-ndjson", body.toString());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("COLLECTOR_MAX_BATCH_EVENTS"), response.body());
    }

    @Test
    void eachBadEventIsRefusedNamingItsFieldWhileValidOnesAreAccepted() throws Exception {
        String valid = call(UUID.randomUUID().toString(), "ok");
        Map<String, String> badByField = Map.of(
                "event_id", call("not-a-uuid", "ok"),
                "outcome", call(UUID.randomUUID().toString(), "exploded"),
                "ts", call(UUID.randomUUID().toString(), "ok").replace("2026-11-25T11:59:00.000Z", "2027-01-01T00:00:00Z"),
                "duration_ms", call(UUID.randomUUID().toString(), "ok").replace("12.5", "\"slow\""),
                "server", call(UUID.randomUUID().toString(), "ok").replace("\"server\":\"github\",", ""));
        for (var bad : badByField.entrySet()) {
            published.clear();
            var response = post("application/json", "[" + valid + "," + bad.getValue() + "]");
            assertEquals(422, response.statusCode(), bad.getKey() + ": " + response.body());
            JsonNode answer = json(response);
            assertEquals(1, answer.get("accepted").asInt());
            assertEquals(1, answer.get("rejected").asInt());
            assertEquals(bad.getKey(), answer.get("field").asText(), response.body());
            assertEquals(1, answer.get("errors").get(0).get("index").asInt());
            assertEquals(1, published.size(), "the valid event of the batch is still accepted");
        }
    }

    @Test
    void malformedNdjsonLineIsRefusedAloneWithItsLineNumber() throws Exception {
        var response = post("application/x-ndjson", call(UUID.randomUUID().toString(), "ok") + "\n{oops\n");
        assertEquals(422, response.statusCode());
        assertTrue(json(response).get("errors").get(0).get("error").asText().contains("line 2"), response.body());
        assertEquals(1, published.size());
    }

    @Test
    void kafkaDownIsA503WithRetryAfter() throws Exception {
        kafkaDown = true;
        var response = post("application/json", call(UUID.randomUUID().toString(), "ok"));
        assertEquals(503, response.statusCode());
        assertEquals("5", response.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(0, json(response).get("accepted").asInt());
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        post("application/json", call(UUID.randomUUID().toString(), "ok"));
        assertEquals(200, HttpTestClient.get(port, "/health").statusCode());
        HttpTestClient.token = TestTokens.sre;
        var metrics = HttpTestClient.get(port, "/metrics");
        HttpTestClient.token = TestTokens.gateway;
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("mcp_collector_events_total{result=\"accepted\"} 1.0"), metrics.body());
        var unknown = HttpTestClient.get(port, "/v2/nothing");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no such endpoint"), unknown.body());
    }

    @Test
    void stringsStorageWouldRefuseAreRefusedNamingTheFieldWhileValidEventsAreAccepted() throws Exception {
        String valid = call(UUID.randomUUID().toString(), "ok");
        // JSON escapes as a gateway would send them: all valid JSON
        Map<String, String> badByField = Map.of(
                "tool", call(UUID.randomUUID().toString(), "ok").replace("search_code_v2", "x\\ud800"),
                "server", call(UUID.randomUUID().toString(), "ok").replace("\"github\"", "\"\\udc00github\""),
                "source", call(UUID.randomUUID().toString(), "ok").replace("\"gw\"", "\"gw\\u0000\""),
                "method", call(UUID.randomUUID().toString(), "ok").replace("tools/call", "tools/call\\n"),
                "reason", audit(UUID.randomUUID().toString(), "2026-11-25T11:59:00Z").replace("INC-1", "INC-1\\n"),
                "user", call(UUID.randomUUID().toString(), "ok").replace("\"tool\"", "\"user\":\"" + "u".repeat(10_000)
                        + "\",\"tool\""));
        for (var bad : badByField.entrySet()) {
            published.clear();
            var response = post("application/json", "[" + valid + "," + bad.getValue() + "]");
            assertEquals(422, response.statusCode(), bad.getKey() + ": " + response.body());
            JsonNode answer = json(response);
            assertEquals(bad.getKey(), answer.get("field").asText(), response.body());
            assertEquals(bad.getKey(), answer.get("errors").get(0).get("field").asText(), response.body());
            assertEquals(1, answer.get("accepted").asInt());
            assertEquals(1, published.size(), "the valid event of the batch is still accepted");
        }
    }

    @Test
    void aMegabyteStringIsRefusedNamingItsFieldNotAsAnUnreadableBody() throws Exception {
        app.stop();
        start(Map.of("COLLECTOR_PORT", "0", "COLLECTOR_MAX_BODY_BYTES", "4194304"));
        var response = post("application/json", call(UUID.randomUUID().toString(), "ok")
                .replace("search_code_v2", "t".repeat(1_048_576)));
        assertEquals(422, response.statusCode(), response.body().substring(0, Math.min(300, response.body().length())));
        assertEquals("tool", json(response).get("field").asText());
        assertEquals(0, published.size());
    }

    @Test
    void invalidUtf8IsA400SayingSoAndNothingIsPublished() throws Exception {
        byte[] valid = call(UUID.randomUUID().toString(), "ok").getBytes(StandardCharsets.UTF_8);
        byte[][] badBytes = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        for (String contentType : List.of("application/json", "application/x-ndjson")) {
            for (byte[] bad : badBytes) {
                String text = new String(valid, StandardCharsets.ISO_8859_1);
                int at = text.indexOf("search_code_v2");
                var body = new java.io.ByteArrayOutputStream();
                body.write(valid, 0, at);
                body.write(bad);
                body.write(valid, at, valid.length - at);
                var response = HttpTestClient.post(port, "/v1/events", contentType, body.toByteArray());
                assertEquals(400, response.statusCode(), contentType + " " + response.body());
                assertEquals("body", json(response).get("field").asText());
                assertTrue(json(response).get("error").asText().contains("not valid UTF-8"), response.body());
            }
        }
        assertEquals(0, published.size());
    }

    @Test
    void refusedValuesAreEchoedWithoutBreakingTheAnswer() throws Exception {
        String badIdAndUnknownField = call("\\ud800\\u0000", "ok")
                .replace("\"kind\"", "\"x\\u0000\\udc00\":1,\"kind\"");
        var response = post("application/json", badIdAndUnknownField);
        assertEquals(422, response.statusCode(), response.body());
        JsonNode error = json(response).get("errors");
        assertEquals("??", error.get(0).get("eventId").asText(), response.body());
        assertTrue(response.body().contains("unknown field x??"), response.body());
    }

    @Test
    void aBatchOverTheLimitIsRefusedAtTheFirstEventTooManyBeforeTheRestIsRead() throws Exception {
        // the tail is not JSON: a parser that read the whole body first would answer 400 instead
        var json = post("application/json", "[" + "{},".repeat(101) + "this is never read");
        assertEquals(413, json.statusCode(), json.body());
        assertTrue(json(json).get("error").asText().contains("more than 100 events"), json.body());
        var ndjson = post("application/x-ndjson", "{}\n".repeat(101) + "{this is never read");
        assertEquals(413, ndjson.statusCode(), ndjson.body());
        assertEquals(0, published.size());
    }

    @Test
    void aBatchAtTheLimitIsAccepted() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append(call(UUID.randomUUID().toString(), "ok")).append('\n');
        }
        var ndjson = post("application/x-ndjson", body.toString());
        assertEquals(200, ndjson.statusCode(), ndjson.body());
        var array = post("application/json", "[" + body.toString().strip().replace("\n", ",") + "]");
        assertEquals(200, array.statusCode(), array.body());
        assertEquals(200, published.size());
    }

    @Test
    void contentAfterTheJsonDocumentIsRefusedNotDropped() throws Exception {
        String event = call(UUID.randomUUID().toString(), "ok");
        var twoArrays = post("application/json", "[" + event + "] [" + call(UUID.randomUUID().toString(), "ok") + "]");
        assertEquals(400, twoArrays.statusCode(), twoArrays.body());
        assertEquals("body", json(twoArrays).get("field").asText());
        var twoOnOneLine = post("application/x-ndjson", event + " " + call(UUID.randomUUID().toString(), "ok") + "\n");
        assertEquals(422, twoOnOneLine.statusCode(), twoOnOneLine.body());
        assertTrue(json(twoOnOneLine).get("errors").get(0).get("error").asText().contains("line 1"), twoOnOneLine.body());
        assertEquals(0, published.size());
    }

    @Test
    void auditActsOlderThanTheAllowedLatenessOrAheadOfTheClockAreRefusedNamingTs() throws Exception {
        // CLOCK is 2026-11-25T12:00:00Z; ALLOWED_LATENESS defaults to 6h, MAX_FUTURE_SKEW to 5m
        Map<String, Integer> statusByTs = Map.of("2001-01-01T00:00:00Z", 422, "2026-11-25T05:59:59Z", 422,
                "2026-11-25T06:00:01Z", 200, "2026-11-25T12:04:00Z", 200, "2026-11-25T12:06:00Z", 422);
        for (var expected : statusByTs.entrySet()) {
            var response = post("application/json", audit(UUID.randomUUID().toString(), expected.getKey()));
            assertEquals(expected.getValue(), response.statusCode(), expected.getKey() + ": " + response.body());
            if (expected.getValue() == 422) {
                assertEquals("ts", json(response).get("field").asText(), response.body());
            }
        }
        assertTrue(post("application/json", audit(UUID.randomUUID().toString(), "2026-11-25T05:00:00Z")).body()
                .contains("ALLOWED_LATENESS"));
        assertEquals(2, published.size());
    }

    @Test
    void oldCallsAreStillAcceptedTheStreamCountsThemAsTooLate() throws Exception {
        var response = post("application/json", call(UUID.randomUUID().toString(), "ok")
                .replace("2026-11-25T11:59:00.000Z", "2026-11-20T00:00:00Z"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, published.size());
    }
}

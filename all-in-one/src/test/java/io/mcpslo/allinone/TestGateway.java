package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What a gateway does in the integration tests: builds call events with unique ids and posts them in batches. */
final class TestGateway {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MAX_BATCH = 2_000;

    private TestGateway() {
    }

    static ObjectNode call(String server, String outcome) {
        ObjectNode event = EventCodec.MAPPER.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("kind", "call");
        event.put("ts", Instant.now().toString());
        event.put("source", LocalTokens.GATEWAY_ID);
        event.put("server", server);
        event.put("server_version", "1.0");
        event.put("tool", "search");
        event.put("method", "tools/call");
        event.put("duration_ms", 12);
        event.put("outcome", outcome);
        return event;
    }

    /** {@code count} calls, one in ten a tool error. */
    static List<ObjectNode> calls(String server, int count) {
        List<ObjectNode> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(call(server, i % 10 == 0 ? "tool_error" : "ok"));
        }
        return calls;
    }

    /** One POST /v1/events of {@code events} (at most one batch), whatever the collector answers. */
    static HttpResponse<String> send(int collectorPort, String gatewayToken, List<ObjectNode> events)
            throws IOException, InterruptedException {
        ArrayNode batch = EventCodec.MAPPER.createArrayNode();
        batch.addAll(events);
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collectorPort + "/v1/events"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + gatewayToken)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.MAPPER.writeValueAsBytes(batch))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code events} in batches and asserts the collector acknowledged each with 200. */
    static void post(int collectorPort, String gatewayToken, List<ObjectNode> events) throws Exception {
        for (int from = 0; from < events.size(); from += MAX_BATCH) {
            HttpResponse<String> response = send(collectorPort, gatewayToken,
                    events.subList(from, Math.min(events.size(), from + MAX_BATCH)));
            assertEquals(200, response.statusCode(), "the collector acknowledges: " + response.body());
        }
    }

    static void post(Pipeline pipeline, List<ObjectNode> events) throws Exception {
        post(pipeline.collectorPort(), pipeline.tokens().gateway(), events);
    }
}

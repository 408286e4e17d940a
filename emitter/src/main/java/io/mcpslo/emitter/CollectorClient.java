package io.mcpslo.emitter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.McpEvent;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** POSTs one batch to the collector's {@code /v1/events} and says what became of it. */
final class CollectorClient {

    /** What the collector made of a batch. */
    sealed interface Delivery {
    }

    /** Answered: 200, or 422 with some events refused (the rest of the batch is stored). */
    record Answered(int accepted, int rejected, String errors) implements Delivery {
    }

    /** Not taken now, worth another try: no connection, a timeout, 408, 429 or 5xx. */
    record TryAgain(String why) implements Delivery {
    }

    /** Refused for good (401, 403, 413, another 4xx): sending it again would change nothing. */
    record Refused(int status, String body) implements Delivery {
    }

    private final EmitterSettings settings;
    private final HttpClient http;

    CollectorClient(EmitterSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    }

    Delivery post(List<McpEvent> batch) throws InterruptedException {
        ArrayNode body = EventCodec.MAPPER.createArrayNode();
        batch.forEach(event -> body.add(EventCodec.encode(event)));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(settings.eventsUri())
                    .timeout(settings.requestTimeout())
                    .header("Authorization", "Bearer " + settings.gatewayToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.MAPPER.writeValueAsBytes(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new TryAgain(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        int status = response.statusCode();
        if (status == 200) {
            return new Answered(batch.size(), 0, "");
        }
        if (status == 422) {
            JsonNode answer = readOrEmpty(response.body());
            int accepted = answer.path("accepted").asInt(0);
            return new Answered(accepted, batch.size() - accepted, answer.path("errors").toString());
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new TryAgain("HTTP " + status);
        }
        return new Refused(status, response.body());
    }

    private static JsonNode readOrEmpty(String body) {
        try {
            return EventCodec.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return EventCodec.MAPPER.createObjectNode();
        }
    }
}

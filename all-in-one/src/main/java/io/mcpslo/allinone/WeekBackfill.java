package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mcp-slo up --backfill-week}: two weeks of simulated past traffic go through the real pipeline, then the
 * weekly report of the last complete week is generated for every team, so there is a report to read at once.
 */
final class WeekBackfill {

    private static final Duration SPAN = Duration.ofDays(14);

    private WeekBackfill() {
    }

    static void run(Pipeline pipeline, TrafficSimulator simulator, int perMinute) {
        System.out.println("mcp-slo: back-filling " + SPAN.toDays() + " days of traffic (" + perMinute
                + " calls a minute)…");
        long sent = simulator.backfill(SPAN, perMinute);
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + pipeline.queryPort();
        try {
            String totals = api + "/api/v1/failures?step=all&from=" + Instant.now().minus(SPAN).minus(Duration.ofMinutes(1))
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            long stored = 0;
            for (int i = 0; i < 600 && stored < sent * 0.99; i++) {
                JsonNode body = get(http, totals, pipeline.tokens().sre());
                stored = body.path("points").path(0).path("calls").asLong();
                if (i % 20 == 0) {
                    System.out.printf("mcp-slo: %,d of %,d back-filled calls rolled up and stored%n", stored, sent);
                }
                Thread.sleep(500);
            }
            Set<String> teams = new TreeSet<>();
            get(http, api + "/api/v1/slos", pipeline.tokens().sre()).get("slos").forEach(slo -> teams.add(slo.get("team").asText()));
            for (String team : teams) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/reports"))
                        .header("Authorization", "Bearer " + pipeline.tokens().admin())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"" + team + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode created = EventCodec.MAPPER.readTree(response.body());
                System.out.println("mcp-slo: weekly report for " + team + ": " + api + created.path("html").asText());
            }
        } catch (IOException e) {
            System.out.println("mcp-slo: could not generate the reports after the back-fill: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode get(HttpClient http, String url, String token) throws IOException, InterruptedException {
        return EventCodec.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}

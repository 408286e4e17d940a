package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.tools.StoredTotals;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code mcp-slo up --backfill-week}: two weeks of simulated past traffic go through the real pipeline, then the
 * weekly report of the last complete week is generated for every team, so there is a report to read at once.
 *
 * <p>The run waits for its own calls, not for every call of the range (a checkout may already hold others): each
 * back-filled call carries the run's tag as its session id and is counted in {@code calls} by it; the rollups of
 * the range are counted against what they held before the run began; calls the stream found too late for a rollup
 * (it had already seen later traffic) are counted from the processor's metric. Progress is printed as it goes;
 * the reports are generated once every call is stored, and not at all if the pipeline stops making progress.
 */
final class WeekBackfill {

    private static final Duration SPAN = Duration.ofDays(14);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration PRINT_EVERY = Duration.ofSeconds(5);
    /** How long the counts may stand still before the back-fill gives up waiting. */
    private static final Duration STALL = Duration.ofMinutes(3);
    private static final String TOO_LATE_METRIC = "mcp_processor_calls_too_late_total";

    private WeekBackfill() {
    }

    static void run(Pipeline pipeline, TrafficSimulator simulator, int perMinute) {
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + pipeline.queryPort();
        String metrics = "http://127.0.0.1:" + pipeline.processorMetricsPort() + "/metrics";
        ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(pipeline.settings()));
        String runTag = "backfill-" + UUID.randomUUID().toString().substring(0, 8);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant begin = end.minus(SPAN);
        try {
            long rolledUpBefore = rolledUp(http, api, pipeline.tokens().sre(), begin, end);
            double tooLateBefore = tooLate(http, metrics);
            System.out.println("mcp-slo: back-filling " + SPAN.toDays() + " days of traffic (" + perMinute
                    + " calls a minute, session id " + runTag + ")…");
            long sent = simulator.backfill(end, SPAN, perMinute, runTag);
            BackfillProgress progress = new BackfillProgress(sent, 0, 0, 0);
            Instant lastChange = Instant.now();
            Instant lastPrint = Instant.MIN;
            while (!progress.complete()) {
                Thread.sleep(POLL.toMillis());
                BackfillProgress now = new BackfillProgress(sent, new StoredTotals(clickHouse).sessionCalls(runTag, begin, end),
                        rolledUp(http, api, pipeline.tokens().sre(), begin, end) - rolledUpBefore,
                        Math.round(tooLate(http, metrics) - tooLateBefore));
                if (!now.equals(progress)) {
                    lastChange = Instant.now();
                }
                progress = now;
                if (Duration.between(lastPrint, Instant.now()).compareTo(PRINT_EVERY) >= 0 || progress.complete()) {
                    System.out.println("mcp-slo: " + progress.line());
                    lastPrint = Instant.now();
                }
                if (!progress.complete() && Duration.between(lastChange, Instant.now()).compareTo(STALL) > 0) {
                    System.out.println("mcp-slo: the back-fill made no progress for " + STALL.toMinutes()
                            + " minutes; no report generated (is the stream processor up? see its /health)");
                    return;
                }
            }
            if (progress.tooLate() > 0) {
                System.out.printf("mcp-slo: %,d back-filled calls came after the stream had seen later traffic (beyond"
                        + " ALLOWED_LATENESS): they are stored raw but in no rollup, so the reports miss them."
                        + " For a complete back-fill start from an empty data dir: ./mcp-slo reset%n", progress.tooLate());
            }
            Set<String> teams = new TreeSet<>();
            get(http, api + "/api/v1/slos", pipeline.tokens().sre()).get("slos")
                    .forEach(slo -> teams.add(slo.get("team").asText()));
            for (String team : teams) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/reports"))
                        .header("Authorization", "Bearer " + pipeline.tokens().admin())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"" + team + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode created = EventCodec.MAPPER.readTree(response.body());
                System.out.println("mcp-slo: weekly report for " + team + ": " + api + created.path("html").asText()
                        + "  (PDF: " + api + created.path("pdf").asText() + ")");
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("mcp-slo: could not complete the back-fill's reports: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls in the rollups of [begin, end), as the query API sums them. */
    private static long rolledUp(HttpClient http, String api, String token, Instant begin, Instant end)
            throws IOException, InterruptedException {
        return get(http, api + "/api/v1/failures?step=all&from=" + begin + "&to=" + end, token)
                .path("points").path(0).path("calls").asLong();
    }

    /** The processor's count of calls too late for any rollup (Prometheus text), 0 when it cannot be read. */
    static double tooLate(HttpClient http, String metrics) throws InterruptedException {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return tooLateFrom(body);
        } catch (IOException e) {
            return 0;
        }
    }

    static double tooLateFrom(String prometheusText) {
        double sum = 0;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(TOO_LATE_METRIC + " ") || line.startsWith(TOO_LATE_METRIC + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static JsonNode get(HttpClient http, String url, String token) throws IOException, InterruptedException {
        return EventCodec.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}

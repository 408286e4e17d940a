package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.tools.StoredTotals;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.allinone.importer.BulkImport;
import io.mcpslo.allinone.importer.Import;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.rollup.RollupKey;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code mcp-slo up --backfill-week}: two weeks of simulated past traffic, then the weekly report of the last complete
 * week for every team, so there is a report to read at once. What is older than the allowed lateness goes through
 * the bulk import ({@link BulkImport}) before the pipeline starts, so the processor's SLOs read those minutes at
 * start; the last hours, which the live stream still rolls up, go through the collector once it is up.
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

    /** What the bulk import took of the back-fill: [begin, cut) of its range, tagged with {@code runTag}. */
    record PastImport(String runTag, int perMinute, Instant begin, Instant cut, Instant end, long imported,
                      long inRollups, long inWindowsStoredBefore) {
    }

    /**
     * Imports [end − 14 days, now − ALLOWED_LATENESS) of simulated calls straight into ClickHouse, with progress
     * lines and a summary. Runs before the pipeline starts, so its processor reads these minutes at start.
     */
    static PastImport importPast(Settings settings, int perMinute) throws IOException {
        String runTag = "backfill-" + UUID.randomUUID().toString().substring(0, 8);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant begin = end.minus(SPAN);
        Duration lateness = settings.duration("ALLOWED_LATENESS", LatenessPolicy.DEFAULT_ALLOWED_LATENESS);
        Instant cut = RollupKey.windowStartOf(Instant.now().minus(lateness));
        cut = cut.isBefore(begin) ? begin : cut.isAfter(end) ? end : cut;
        ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(settings));
        ClickHousePipelineStore store = new ClickHousePipelineStore(clickHouse, Clock.systemUTC());
        store.prepare();
        BulkImport bulk = new BulkImport(store, (from, to) -> Import.storedWindows(clickHouse, from, to),
                Clock.systemUTC(), lateness, 100_000);
        System.out.printf("mcp-slo: back-filling %d days of traffic (%d calls a minute, session id %s): until %s "
                + "straight into ClickHouse, the rest through the collector…%n", SPAN.toDays(), perMinute, runTag, cut);
        long started = System.nanoTime();
        long[] lastPrint = {started};
        BulkImport.Summary summary;
        try (InputStream lines = pastLines(begin, cut, perMinute, runTag)) {
            summary = bulk.run(lines, () -> 0L, 10_000, progress -> {
                long now = System.nanoTime();
                if (now - lastPrint[0] >= PRINT_EVERY.toNanos()) {
                    lastPrint[0] = now;
                    System.out.printf("mcp-slo: back-fill import: %,d calls%n", progress.imported());
                }
            });
        }
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-9);
        System.out.printf("mcp-slo: back-fill import: %,d calls in %.1f s (%,.0f calls/s), %,d refused%n",
                summary.imported(), seconds, summary.imported() / seconds, summary.refused());
        return new PastImport(runTag, perMinute, begin, cut, end, summary.imported(),
                summary.imported() - summary.callsInStoredWindows(), summary.callsInStoredWindows());
    }

    /**
     * The simulated calls of [from, to) as NDJSON, made on their own thread as the import reads them. Should making
     * them fail, the stream's end is that failure, not a clean end that would pass for a complete back-fill.
     */
    private static InputStream pastLines(Instant from, Instant to, int perMinute, String runTag) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        PipedInputStream lines = new PipedInputStream(1 << 20) {
            @Override
            public synchronized int read(byte[] into, int offset, int length) throws IOException {
                int read = super.read(into, offset, length);
                if (read < 0 && failure.get() != null) {
                    throw new IOException("making the back-fill's calls failed", failure.get());
                }
                return read;
            }
        };
        PipedOutputStream out = new PipedOutputStream(lines);
        Thread.ofPlatform().daemon().name("backfill-lines").start(() -> {
            try (OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
                new SimulatedCalls(System.nanoTime()).past(from, to, perMinute, runTag, () -> true, call -> {
                    try {
                        EventCodec.MAPPER.writeValue(new NoClose(buffered), call);
                        buffered.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // the import stopped reading: it failed and says why
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        });
        return lines;
    }

    /** Jackson closes the stream it writes a value to; the lines go on. */
    private static final class NoClose extends FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() {
        }
    }

    static void run(Pipeline pipeline, TrafficSimulator simulator, PastImport past) {
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + pipeline.queryPort();
        String metrics = "http://127.0.0.1:" + pipeline.processorMetricsPort() + "/metrics";
        ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(pipeline.settings()));
        String runTag = past.runTag();
        Instant begin = past.begin();
        Instant end = past.end();
        try {
            // only the collector's part is counted through the API: the imported minutes are known, and the API may
            // show them only after the roller's next pass, which would count them twice
            long rolledUpBefore = rolledUp(http, api, pipeline.tokens().sre(), past.cut(), end);
            double tooLateBefore = tooLate(http, metrics);
            long sent = past.imported() + simulator.backfill(end, Duration.between(past.cut(), end), past.perMinute(),
                    runTag);
            BackfillProgress progress = new BackfillProgress(sent, 0, 0, 0);
            Instant lastChange = Instant.now();
            Instant lastPrint = Instant.MIN;
            while (!progress.complete()) {
                Thread.sleep(POLL.toMillis());
                BackfillProgress now = new BackfillProgress(sent, new StoredTotals(clickHouse).sessionCalls(runTag, begin, end),
                        past.inRollups() + rolledUp(http, api, pipeline.tokens().sre(), past.cut(), end) - rolledUpBefore,
                        past.inWindowsStoredBefore() + Math.round(tooLate(http, metrics) - tooLateBefore));
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
            if (past.inWindowsStoredBefore() > 0) {
                System.out.printf("mcp-slo: %,d imported calls fell in minutes this data dir had already rolled up:"
                        + " they are stored raw, and those minutes keep their rollups. For a complete back-fill start"
                        + " from an empty data dir: ./mcp-slo reset%n", past.inWindowsStoredBefore());
            }
            long streamTooLate = progress.tooLate() - past.inWindowsStoredBefore();
            if (streamTooLate > 0) {
                System.out.printf("mcp-slo: %,d back-filled calls came after the stream had seen later traffic (beyond"
                        + " ALLOWED_LATENESS): they are stored raw but in no rollup, so the reports miss them."
                        + " For a complete back-fill start from an empty data dir: ./mcp-slo reset%n", streamTooLate);
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

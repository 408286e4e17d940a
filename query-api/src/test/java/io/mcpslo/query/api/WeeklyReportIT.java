package io.mcpslo.query.api;

import io.mcpslo.storage.report.ToolFailures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.replay.SloReplay;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.query.report.PdfText;
import io.mcpslo.query.report.ReportBuilder;
import io.mcpslo.query.report.ReportRenderer;
import io.mcpslo.query.report.WeeklyReport;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A known fortnight of rollups and one alert, no SLO snapshot; the report's figures are recomputed here independently. */
class WeeklyReportIT {

    private static final Instant WEEK = Instant.parse("2026-11-16T00:00:00Z"); // Monday of 2026-W47
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    private static final List<SloDefinition> SLOS = List.of(
            new SloDefinition("github-transport", "devtools", "GitHub answers", new SloScope("github", null, null),
                    new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                    AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("jira-availability", "tracker", "", new SloScope("jira", null, null),
                    new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.99), WINDOW,
                    AlertPolicy.defaultsFor(WINDOW)));
    private static ClickHouseClient client;
    private static Javalin app;
    /** Independently kept truth: per tool and week (0 = W47, 1 = W46): calls, tool errors, transport errors. */
    private static final Map<String, long[][]> truth = new HashMap<>();
    private static final LatencySketch[] githubLatency = {LatencySketch.empty(), LatencySketch.empty()};
    /** Independently kept truth per minute with github calls: calls, transport errors. */
    private static final Map<Instant, long[]> githubMinutes = new TreeMap<>();

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("report");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        Random random = new Random(5);
        List<CallRollup> rollups = new ArrayList<>();
        String[][] tools = {{"github", "search_code_v1"}, {"github", "search_code_v2"}, {"github", "create_pull_request"},
            {"jira", "search_issues"}};
        for (int week = 0; week < 2; week++) {
            Instant weekStart = WEEK.minus(Duration.ofDays(7L * week));
            for (int hour = 0; hour < 7 * 24; hour += 3) {
                Instant minute = weekStart.plus(Duration.ofHours(hour));
                for (String[] tool : tools) {
                    // v2 takes over: 70 % of search calls this week, 40 % the week before
                    int calls = switch (tool[1]) {
                        case "search_code_v1" -> week == 0 ? 3 : 6;
                        case "search_code_v2" -> week == 0 ? 7 : 4;
                        default -> 5;
                    };
                    CallRollup rollup = CallRollup.empty(new RollupKey(tool[0], tool[1], "1.0", minute));
                    long[] counts = truth.computeIfAbsent(tool[1], t -> new long[2][3])[week];
                    for (int i = 0; i < calls; i++) {
                        double roll = random.nextDouble();
                        Outcome outcome = roll < 0.05 ? Outcome.TOOL_ERROR : roll < (tool[0].equals("jira") ? 0.2 : 0.08)
                                ? Outcome.TRANSPORT_ERROR : Outcome.OK;
                        double latency = Math.round(Math.exp(4 + random.nextGaussian()) * 10) / 10.0;
                        var envelope = new EventEnvelope(UUID.randomUUID(), minute.plusSeconds(i), "gw", tool[0], "1.0",
                                tool[1], "tools/call", null, null, null, null, null, null);
                        rollup = rollup.plus(new CallEvent(envelope, latency, outcome, null, null, null, null));
                        counts[0]++;
                        counts[1] += outcome == Outcome.TOOL_ERROR ? 1 : 0;
                        counts[2] += outcome == Outcome.TRANSPORT_ERROR ? 1 : 0;
                        if (tool[0].equals("github")) {
                            githubLatency[week].record(latency);
                            long[] perMinute = githubMinutes.computeIfAbsent(minute, m -> new long[2]);
                            perMinute[0]++;
                            perMinute[1] += outcome == Outcome.TRANSPORT_ERROR ? 1 : 0;
                        }
                    }
                    rollups.add(rollup);
                }
            }
        }
        Instant fired = WEEK.plus(Duration.ofDays(1)).plus(Duration.ofHours(10));
        List<AlertTransition> alerts = List.of(
                new AlertTransition("github-transport", "devtools", AlertKind.PAGE, Severity.PAGE, AlertStatus.INACTIVE,
                        AlertStatus.FIRING, fired, fired, "k1", "s", Map.of(), 0.5, "page-1h-5m"),
                new AlertTransition("github-transport", "devtools", AlertKind.PAGE, Severity.PAGE, AlertStatus.FIRING,
                        AlertStatus.RESOLVED, fired.plus(Duration.ofMinutes(45)), fired, "k1", "s", Map.of(), 0.5, ""));
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups, alerts, List.of(), List.of(), List.of(),
                List.of()));
        app = ApiTestKit.start(client, () -> SLOS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    /**
     * The highest burn rate over {@code count} consecutive rollup minutes (3 hours apart), as a burn-rate window of
     * {@code window} ending in the week sees them.
     */
    private static double peakBurn(int count, Duration window) {
        List<Instant> minutes = new ArrayList<>(githubMinutes.keySet());
        double peak = 0;
        for (int last = 0; last < minutes.size(); last++) {
            int first = Math.max(0, last - count + 1);
            if (minutes.get(first).plus(window).isBefore(WEEK)) {
                continue; // no window ending in the week reaches back to it
            }
            long calls = 0;
            long bad = 0;
            for (int i = first; i <= last; i++) {
                calls += githubMinutes.get(minutes.get(i))[0];
                bad += githubMinutes.get(minutes.get(i))[1];
            }
            peak = Math.max(peak, (double) bad / calls / 0.01);
        }
        return peak;
    }

    @Test
    void theReportsFiguresMatchOnesComputedIndependently() {
        WeeklyReport report = new ReportBuilder(new ClickHouseReportStore(client), Clock.fixed(NOW, ZoneOffset.UTC))
                .build("devtools", "2026-W47", ZoneId.of("UTC"), SLOS);
        assertEquals(1, report.slos().size(), "only the team's own SLOs");
        WeeklyReport.SloSection github = report.slos().get(0);
        assertEquals("30 days", github.window(), "the window as people read it, not the API's \"30d rolling\"");
        long calls = 0;
        long transport = 0;
        for (String tool : List.of("search_code_v1", "search_code_v2", "create_pull_request")) {
            calls += truth.get(tool)[0][0];
            transport += truth.get(tool)[0][2];
        }
        assertEquals(calls - transport, github.good());
        assertEquals(transport, github.bad());
        assertEquals((double) (calls - transport) / calls, github.attainment(), 1e-12);
        // no SLO snapshot is stored for the fortnight: budget and burn rates come from the rollups alone
        long fortnightCalls = githubMinutes.values().stream().mapToLong(m -> m[0]).sum();
        long fortnightBad = githubMinutes.values().stream().mapToLong(m -> m[1]).sum();
        assertEquals(transport / (0.01 * fortnightCalls), github.budgetConsumedThisWeek(), 1e-9,
                "this week's bad calls against the budget of the 30-day window at the week's end (both weeks)");
        assertEquals(fortnightBad / (0.01 * fortnightCalls), github.budgetConsumedWindow(), 1e-9);
        // rollups every 3 hours: a 1h window holds one such minute, 6h two in a row, 1d eight in a row
        assertEquals(peakBurn(1, Duration.ofHours(1)), github.peakBurn1h(), 1e-9);
        assertEquals(peakBurn(2, Duration.ofHours(6)), github.peakBurn6h(), 1e-9);
        assertEquals(peakBurn(8, Duration.ofDays(1)), github.peakBurn1d(), 1e-9);
        WeeklyReport.AlertSummary sent = github.alerts().stream().filter(WeeklyReport.AlertSummary::live)
                .findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(45), sent.duration());
        assertEquals(1, github.alerts().stream().filter(WeeklyReport.AlertSummary::live).count());
        Map<Instant, RollupAggregate> truthMinutes = new TreeMap<>();
        githubMinutes.forEach((minute, counts) -> truthMinutes.put(minute, new RollupAggregate(
                new OutcomeCounts(counts[0] - counts[1], 0, counts[1], 0, 0), SketchBins.EMPTY)));
        List<String> wouldHaveFired = SloReplay.replay(SLOS.get(0), truthMinutes, WEEK, WEEK.plus(Duration.ofDays(7)))
                .alerts().stream().filter(alert -> !(alert.kind() == AlertKind.PAGE
                        && !alert.firedAt().isAfter(sent.resolvedAt().plus(Duration.ofMinutes(5)))
                        && (alert.resolvedAt() == null || !alert.resolvedAt().isBefore(sent.firedAt()))))
                .map(alert -> alert.kind().label() + "@" + alert.firedAt()).toList();
        assertEquals(wouldHaveFired, github.alerts().stream().filter(alert -> !alert.live())
                .map(alert -> alert.alert() + "@" + alert.firedAt()).toList(),
                "what the rules fire on the fortnight's calls, but the page the history holds");
        assertEquals(githubLatency[0].quantile(0.95), github.p95Ms(), 1e-9);
        assertEquals(githubLatency[1].quantile(0.95), github.p95PreviousWeekMs(), 1e-9);
        assertEquals(7, github.days().size());
        assertEquals(calls, github.days().stream().mapToLong(day -> day.good() + day.bad()).sum());

        List<String> expectedWorst = truth.entrySet().stream().filter(e -> !e.getKey().equals("search_issues"))
                .filter(e -> e.getValue()[0][1] + e.getValue()[0][2] > 0)
                .sorted((a, b) -> a.getValue()[0][1] + a.getValue()[0][2] != b.getValue()[0][1] + b.getValue()[0][2]
                        ? Long.compare(b.getValue()[0][1] + b.getValue()[0][2], a.getValue()[0][1] + a.getValue()[0][2])
                        : a.getKey().compareTo(b.getKey()))
                .map(Map.Entry::getKey).toList();
        assertEquals(expectedWorst, report.worstTools().stream().map(ToolFailures::tool).toList(),
                "github's tools only, most failures first");
        ToolFailures worst = report.worstTools().get(0);
        assertEquals(truth.get(worst.tool())[0][1], worst.toolErrors());
        assertEquals(truth.get(worst.tool())[0][2], worst.transportErrors());

        WeeklyReport.Migration search = report.migrations().get(0);
        assertEquals("search_code", search.baseName());
        assertEquals("search_code_v1", search.versions().get(0).tool());
        assertEquals(0.3, search.versions().get(0).share(), 1e-12, "v1 still takes 30 % of search calls");
        assertEquals(0.6, search.versions().get(0).sharePreviousWeek(), 1e-12);
        assertNull(report.slos().stream().filter(s -> s.alerts().isEmpty()).findFirst().orElse(null));

        assertEquals(report, new ReportBuilder(new ClickHouseReportStore(client), Clock.fixed(NOW, ZoneOffset.UTC))
                .build("devtools", "2026-W47", ZoneId.of("UTC"), SLOS), "regenerated: the same figures");
    }

    /**
     * The Markdown of the fixed fortnight, word for word: {@code src/test/resources/golden/devtools-2026-W47.md}.
     * After a deliberate change of the report, run with {@code -Dreports.golden.update=true} and review the diff.
     */
    @Test
    void theMarkdownOfAFixedFortnightIsTheGoldenFile() throws Exception {
        WeeklyReport report = new ReportBuilder(new ClickHouseReportStore(client), Clock.fixed(NOW, ZoneOffset.UTC))
                .build("devtools", "2026-W47", ZoneId.of("UTC"), SLOS);
        String markdown = ReportRenderer.markdown(report);
        Path golden = Path.of("src/test/resources/golden/devtools-2026-W47.md");
        if (Boolean.getBoolean("reports.golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, markdown);
        }
        Path actual = Path.of("target/reports/devtools-2026-W47.md");
        Files.createDirectories(actual.getParent());
        Files.writeString(actual, markdown);
        assertTrue(Files.exists(golden), "no golden file " + golden.toAbsolutePath()
                + "; run with -Dreports.golden.update=true to write it");
        assertEquals(Files.readString(golden), markdown, "the report differs from " + golden + " (this run's is in "
                + actual + "; diff them, and rewrite the golden file with -Dreports.golden.update=true if intended)");
        assertTrue(markdown.contains("| github-transport | 99 % |"), "objectives as people write them");
    }

    @Test
    void reportsAreGeneratedOnDemandStoredAndDownloadableByTheirTeamOnly() {
        HttpResponse<String> created = ApiTestKit.call(app, ApiTestKit.devtools, "POST", "/api/v1/reports",
                "{\"team\":\"devtools\",\"week\":\"2026-W47\"}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> markdown = ApiTestKit.call(app, ApiTestKit.devtools, "GET",
                "/api/v1/reports/devtools/2026-W47.md", null);
        assertEquals(200, markdown.statusCode());
        assertTrue(markdown.body().contains("# SLO report — team devtools, week 2026-W47"), markdown.body());
        assertTrue(markdown.body().contains("search_code_v1 30 % (was 60 %)"), markdown.body());
        HttpResponse<String> html = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/reports/devtools/2026-W47.html",
                null);
        assertTrue(html.body().startsWith("<!DOCTYPE html>") && html.body().contains("<svg"), "self-contained HTML");
        assertTrue(!html.body().contains("<script") && !html.body().contains("src=") && !html.body().contains("<link"),
                "no script, no external resource");
        assertEquals(404, ApiTestKit.call(app, ApiTestKit.tracker, "GET", "/api/v1/reports/devtools/2026-W47.md", null)
                .statusCode(), "team tracker does not see devtools' report");
        assertEquals(404, ApiTestKit.call(app, ApiTestKit.tracker, "POST", "/api/v1/reports",
                "{\"team\":\"devtools\"}").statusCode());
        var listed = ApiTestKit.json(ApiTestKit.call(app, ApiTestKit.tracker, "GET", "/api/v1/reports", null))
                .get("reports");
        listed.forEach(report -> assertEquals("tracker", report.get("team").asText()));
        assertEquals(400, ApiTestKit.call(app, ApiTestKit.devtools, "POST", "/api/v1/reports",
                "{\"team\":\"devtools\",\"week\":\"2026-W99\"}").statusCode());
        assertEquals(400, ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/reports/devtools/latest.pdf", null)
                .statusCode());
        assertEquals(404, ApiTestKit.call(app, ApiTestKit.tracker, "GET", "/api/v1/reports/devtools/2026-W47.pdf", null)
                .statusCode(), "nor its PDF");
    }

    /**
     * The stored HTML page in headless chromium (Debian's, as for the built-in pages): a screenshot is kept in
     * target/screenshots/, and a measuring script added to a copy of the page (the report itself has none) reads
     * where the browser really laid out the chart's day labels: seven, none running into the next.
     */
    @Test
    void theHtmlReportInABrowserShowsItsChartWithSevenSeparateDayLabels() throws Exception {
        String chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("chromium is not installed: ./mcp-slo test installs it "
                        + "(apt-get install -y chromium)"));
        assertEquals(201, ApiTestKit.call(app, ApiTestKit.devtools, "POST", "/api/v1/reports",
                "{\"team\":\"devtools\",\"week\":\"2026-W47\"}").statusCode());
        String html = ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/reports/devtools/2026-W47.html", null)
                .body();
        Path pages = Path.of("target/reports").toAbsolutePath();
        Path screenshots = Path.of("target/screenshots").toAbsolutePath();
        Files.createDirectories(pages);
        Files.createDirectories(screenshots);
        Path page = pages.resolve("devtools-2026-W47.html");
        Files.writeString(page, html);
        Path measured = pages.resolve("devtools-2026-W47-measured.html");
        Files.writeString(measured, html.replace("</body>", """
                <script>
                const boxes = [...document.querySelectorAll('svg text[text-anchor="middle"]')].map(t => {
                  const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.right]; });
                const out = document.createElement('pre'); out.id = 'measured';
                out.textContent = JSON.stringify(boxes); document.body.appendChild(out);
                </script></body>"""));
        List<String> common = List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1000,1200");
        List<String> dump = new ArrayList<>(common);
        dump.add("--dump-dom");
        dump.add(measured.toUri().toString());
        Process process = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "chromium did not finish");
        String json = dom.replaceAll("(?s).*<pre id=\"measured\">", "").replaceAll("(?s)</pre>.*", "");
        var labels = io.mcpslo.schemas.EventCodec.MAPPER.readTree(json);
        assertEquals(7, labels.size(), dom);
        for (int i = 1; i < labels.size(); i++) {
            double previousRight = labels.get(i - 1).get(2).asDouble();
            double left = labels.get(i).get(1).asDouble();
            assertTrue(left - previousRight >= 4, labels.get(i - 1).get(0).asText() + " and " + labels.get(i).get(0)
                    .asText() + " run into each other: " + labels);
        }

        Path screenshot = screenshots.resolve("report-devtools-2026-W47.png");
        List<String> shot = new ArrayList<>(common);
        shot.add("--screenshot=" + screenshot);
        shot.add(page.toUri().toString());
        Process taking = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(taking.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "chromium screenshot");
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(screenshot.toFile());
        long barPixels = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                barPixels += rgb == 0x3b82f6 || rgb == 0xb00020 ? 1 : 0;
            }
        }
        assertTrue(barPixels > 500, "the daily chart's bars are on the screenshot (" + barPixels + " sampled pixels)");
    }

    @Test
    void thePdfOfAStoredReportIsItsHtmlRenderedAndSaysTheSameFigures() throws Exception {
        assertEquals(201, ApiTestKit.call(app, ApiTestKit.devtools, "POST", "/api/v1/reports",
                "{\"team\":\"devtools\",\"week\":\"2026-W47\"}").statusCode());
        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.port() + "/api/v1/reports/devtools/2026-W47.pdf"))
                .header("Authorization", "Bearer " + ApiTestKit.devtools).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        Path file = Path.of("target/reports/devtools-2026-W47.pdf");
        Files.createDirectories(file.getParent());
        Files.write(file, pdf.body());
        String text = PdfText.of(file);
        String markdown = ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/reports/devtools/2026-W47.md", null)
                .body();
        // the SLO row of the Markdown table: objective, attainment, calls, budgets, peaks, p95, each in the PDF
        String row = markdown.lines().filter(line -> line.startsWith("| github-transport |")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        for (int i = 2; i < cells.length; i++) {
            if (i == 4) {
                continue; // met: "yes" in Markdown, "met" in the page
            }
            String figure = cells[i].trim().replace("**", "");
            if (figure.contains(" (")) {
                figure = figure.substring(0, figure.indexOf(" ("));
            }
            assertTrue(text.contains(figure), "\"" + figure + "\" (column " + i + " of the Markdown) in the PDF:\n" + text);
        }
        assertTrue(text.contains("search_code_v1") && text.contains("github-transport"), text);
    }
}

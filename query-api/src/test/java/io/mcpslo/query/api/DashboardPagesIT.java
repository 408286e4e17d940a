package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
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
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in pages in a real headless browser (Debian's chromium) against the real API and ClickHouse: each
 * page loads its data, shows the expected numbers, reports no script error; screenshots go to
 * target/screenshots.
 */
class DashboardPagesIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    private static final String HOSTILE_TOOL = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
    private static final String HOSTILE_ACTOR = "<img src=x onerror=document.title='pwned'>@example.com";
    private static final String SESSION = "sess-<b>3</b>";
    private static ClickHouseClient client;
    private static Javalin app;
    private static String chromium;
    private static long jiraCalls;

    @BeforeAll
    static void start() throws IOException {
        chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("chromium is not installed: ./mcp-slo test installs it "
                        + "(apt-get install -y chromium)"));
        Files.createDirectories(SCREENSHOTS);
        client = ClickHouseTestSupport.freshDatabase("pages");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        List<CallRollup> rollups = new ArrayList<>();
        List<CallEvent> calls = new ArrayList<>();
        for (int minute = 1; minute <= 120; minute++) {
            Instant start = NOW.minus(Duration.ofMinutes(minute));
            for (String[] tool : new String[][] {{"jira", "search_issues", "1.9.0"}, {"github", "search_code_v1", "2.4.1"},
                {"github", "search_code_v2", "2.4.1"}}) {
                CallRollup rollup = CallRollup.empty(new RollupKey(tool[0], tool[1], tool[2], start));
                for (int i = 0; i < 10; i++) {
                    Outcome outcome = tool[0].equals("jira") && minute < 20 && i < 4 ? Outcome.TRANSPORT_ERROR : Outcome.OK;
                    // one failed jira call came from a span: the explorer links it to its trace
                    boolean traced = tool[0].equals("jira") && minute == 4 && i == 0;
                    var envelope = new EventEnvelope(UUID.randomUUID(), start.plusSeconds(i), "gw", tool[0], tool[2],
                            tool[1], "tools/call", null, minute == 3 ? SESSION : null, "dora", null,
                            traced ? TRACE_ID : null, traced ? "00f067aa0ba902b7" : null);
                    CallEvent call = new CallEvent(envelope, 50 + 10 * i, outcome,
                            outcome == Outcome.OK ? null : -32603, outcome == Outcome.OK ? null : "timeout", null, null);
                    rollup = rollup.plus(call);
                    calls.add(call);
                    jiraCalls += tool[0].equals("jira") ? 1 : 0;
                }
                rollups.add(rollup);
            }
        }
        // a tool named to run script wherever it is shown as HTML
        CallRollup hostileTool = CallRollup.empty(new RollupKey("jira", HOSTILE_TOOL, "1.9.0", NOW.minus(Duration.ofMinutes(3))));
        for (int i = 0; i < 3; i++) {
            var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofMinutes(3)).plusSeconds(i), "gw",
                    "jira", "1.9.0", HOSTILE_TOOL, "tools/call", null, null, null, null, null, null);
            hostileTool = hostileTool.plus(new CallEvent(envelope, 30, Outcome.OK, null, null, null, null));
            jiraCalls++;
        }
        rollups.add(hostileTool);
        List<SloStatus> statuses = new ArrayList<>();
        for (int minute = 1; minute <= 60; minute++) {
            Instant at = NOW.minus(Duration.ofMinutes(minute));
            boolean burning = minute < 20;
            statuses.add(new SloStatus("jira-availability", "tracker", at, at.minus(WINDOW.length()), at, 0.98, 0.99,
                    ErrorBudget.of(new Objective(0.99), new EventCounts(9_800, 200), EventCounts.NONE),
                    Map.of("5m", burning ? 40.0 : 0.0, "30m", 20.0, "1h", burning ? 25.0 : 1.0, "2h", 10.0, "6h", 5.0,
                            "1d", 2.0, "3d", 1.0), List.of(), burning, false, true));
            statuses.add(new SloStatus("github-transport", "devtools", at, at.minus(WINDOW.length()), at, 1.0, 0.99,
                    ErrorBudget.of(new Objective(0.99), new EventCounts(10_000, 0), EventCounts.NONE),
                    Map.of("5m", 0.0, "30m", 0.0, "1h", 0.0, "2h", 0.0, "6h", 0.0, "1d", 0.0, "3d", 0.0), List.of(),
                    false, false, false));
        }
        List<AlertTransition> alerts = List.of(new AlertTransition("jira-availability", "tracker", AlertKind.PAGE,
                Severity.PAGE, AlertStatus.INACTIVE, AlertStatus.FIRING, NOW.minus(Duration.ofMinutes(18)),
                NOW.minus(Duration.ofMinutes(18)), "mcp-slo:jira-availability:page:7", "jira-availability is burning",
                Map.of("1h", 25.0), -1.0, "page-1h-5m"));
        var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofMinutes(19)), "gw", "jira", null, null,
                null, null, null, null, null, null, null);
        var act = new AuditEvent(envelope, "oncall@example.com", null, "server.disable", "jira", null,
                AuditEvent.Decision.ALLOW, null, "ok", "INC-42: jira down");
        var hostileEnvelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofMinutes(5)), "gw", "jira", null,
                HOSTILE_TOOL, "tools/call", null, null, null, null, null, null);
        var hostileAct = new AuditEvent(hostileEnvelope, HOSTILE_ACTOR, "<b>agent</b>", "tools/call", HOSTILE_TOOL, null,
                AuditEvent.Decision.DENY, "policy\" onmouseover=\"document.title='pwned'", "denied", HOSTILE_TOOL);
        var firstLink = AuditChain.next(null, 0, act);
        store.write(new PipelineStore.Batch(calls, List.of(), rollups, alerts, statuses, List.of(),
                List.of(new ChainedAudit(act, firstLink, NOW),
                        new ChainedAudit(hostileAct, AuditChain.next(firstLink, 0, hostileAct), NOW)), List.of()));
        List<SloDefinition> slos = List.of(
                new SloDefinition("jira-availability", "tracker", "Jira answers", new SloScope("jira", null, null),
                        new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                        AlertPolicy.defaultsFor(WINDOW)),
                new SloDefinition("github-transport", "devtools", "", new SloScope("github", null, null),
                        new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                        AlertPolicy.defaultsFor(WINDOW)));
        app = ApiTestKit.start(client, () -> slos, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    /** The page's DOM after its scripts ran, plus what chromium logged; a screenshot is kept. */
    private record Rendered(String dom, String log) {
    }

    private static Rendered render(String name, String pathAndQuery, String token) throws Exception {
        String url = "http://127.0.0.1:" + app.port() + pathAndQuery + "#token=" + token;
        Path log = Files.createTempFile("chromium", ".log");
        List<String> common = List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000",
                "--window-size=1400,1100");
        List<String> dump = new ArrayList<>(common);
        dump.add("--dump-dom");
        dump.add(url);
        Process process = new ProcessBuilder(dump).redirectError(log.toFile()).start();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium did not finish " + name);
        List<String> shot = new ArrayList<>(common);
        shot.add("--screenshot=" + SCREENSHOTS.resolve(name + ".png").toAbsolutePath());
        shot.add(url);
        Process screenshot = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(screenshot.waitFor(90, TimeUnit.SECONDS), "chromium screenshot of " + name);
        return new Rendered(dom, Files.readString(log));
    }

    private static void assertClean(Rendered page) {
        assertTrue(page.dom().contains("data-loaded=\"true\""), "the page finished loading its data:\n"
                + page.dom().substring(0, Math.min(3000, page.dom().length())));
        assertTrue(page.dom().contains("<div id=\"errors\"></div>"), "no script error on the page: "
                + page.dom().replaceAll("(?s).*<div id=\"errors\">", "").lines().findFirst().orElse(""));
        assertFalse(page.log().contains("Uncaught"), page.log());
        // the pages are served with a Content-Security-Policy allowing no inline script or style: none was needed
        assertFalse(page.log().contains("Content Security Policy") || page.log().contains("Refused to"), page.log());
    }

    @Test
    void everyPageAndReportIsServedWithSecurityHeaders() {
        for (String path : List.of("/ui/index.html", "/ui/slo.html", "/ui/explorer.html", "/ui/audit.html", "/ui/app.js",
                "/ui/ledger.html", "/ui/calls.html", "/ui/session.html",
                "/api/v1/slos", "/api/v1/nothing-here")) {
            var response = ApiTestKit.call(app, ApiTestKit.sre, "GET", path, null);
            var headers = response.headers();
            String policy = headers.firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"), path + ": " + policy);
            assertFalse(policy.contains("unsafe-inline") || policy.contains("http"), path + ": no inline script, no other origin");
            assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("no-referrer", headers.firstValue("Referrer-Policy").orElse(""), path);
            assertEquals("DENY", headers.firstValue("X-Frame-Options").orElse(""), path);
        }
        assertTrue(ApiTestKit.call(app, ApiTestKit.sre, "GET", "/ui/index.html", null).headers()
                .firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
    }

    @Test
    void hostileNamesShowAsTextAndRunNoScript() throws Exception {
        Rendered detail = render("hostile-detail", "/ui/slo.html?id=jira-availability&hours=3", ApiTestKit.sre);
        assertClean(detail);
        assertTrue(detail.dom().contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x"),
                "the tool's name shows verbatim in the versions table");
        Rendered audit = render("hostile-audit", "/ui/audit.html?actor="
                + java.net.URLEncoder.encode(HOSTILE_ACTOR, StandardCharsets.UTF_8), ApiTestKit.auditor);
        assertClean(audit);
        assertTrue(audit.dom().contains("&lt;img src=x onerror=document.title='pwned'&gt;@example.com"), audit.dom());
        assertTrue(audit.dom().contains("&lt;b&gt;agent&lt;/b&gt;"));
        for (Rendered page : List.of(detail, audit)) {
            assertFalse(page.dom().contains("<img src=\"x\"") || page.dom().contains("<b>agent"), "no element made of a name");
            assertFalse(page.dom().contains("<title>pwned"), "no script of a name ran");
        }
    }

    @Test
    void overviewListsEverySloWithStateBudgetAndSparklines() throws Exception {
        Rendered page = render("overview", "/ui/index.html", ApiTestKit.sre);
        assertClean(page);
        assertTrue(page.dom().contains("data-slo=\"jira-availability\""), page.dom());
        assertTrue(page.dom().contains("class=\"state-page\">page<"), "jira pages");
        double remaining = ErrorBudget.of(new Objective(0.99), new EventCounts(9_800, 200), EventCounts.NONE)
                .remainingFraction();
        assertTrue(page.dom().contains(String.format(java.util.Locale.ROOT, "%.3f %%", remaining * 100)),
                "budget remaining as computed from the snapshot: " + remaining);
        assertTrue(page.dom().contains("98.000 %"), "jira's SLI");
        assertTrue(page.dom().split("class=\"uplot", -1).length - 1 >= 2, "a burn-rate sparkline per SLO");
    }

    @Test
    void aTeamSeesOnlyItsOwnSlosOnTheOverview() throws Exception {
        Rendered page = render("overview-devtools", "/ui/index.html", ApiTestKit.devtools);
        assertClean(page);
        assertTrue(page.dom().contains("data-slo=\"github-transport\""));
        assertFalse(page.dom().contains("data-slo=\"jira-availability\""));
    }

    @Test
    void detailDrawsBurnRatesBudgetSliLatencySplitVersionsAndAnnotations() throws Exception {
        Rendered page = render("detail", "/ui/slo.html?id=jira-availability&hours=3", ApiTestKit.sre);
        assertClean(page);
        assertTrue(page.dom().contains("jira-availability — page"));
        assertTrue(page.dom().contains("objective 99 % over 30 days;"), "the target as people read it, not "
                + "\"99.000 % over 30d rolling\"");
        assertTrue(page.dom().split("class=\"uplot", -1).length - 1 >= 5, "burn, budget, SLI, latency, split charts");
        assertTrue(page.dom().contains("search_issues (1.9.0)"), "the versions table");
        assertTrue(page.dom().contains("server.disable") && page.dom().contains("INC-42: jira down"), "break-glass act");
        assertTrue(page.dom().contains("page → firing"), "the alert");
        assertTrue(page.dom().contains("data-marks=\"2\""), "the alert and the break-glass act are marked on the charts");
        assertMarkLabelsDoNotOverlap(page.dom());
    }

    /**
     * The alert (18 min ago) and the break-glass act (19 min ago) are a few pixels apart on a 3 h chart: both
     * labels are drawn, and none overlaps another on its row ("servepagefiring" was what a reader saw).
     */
    private static void assertMarkLabelsDoNotOverlap(String dom) {
        Matcher charts = Pattern.compile("data-mark-labels=\"([^\"]*)\"").matcher(dom);
        int charted = 0;
        while (charts.find()) {
            charted++;
            List<int[]> labels = new ArrayList<>();
            for (String label : charts.group(1).split(" ")) {
                Matcher m = Pattern.compile("(-?\\d+):(-?\\d+)-(-?\\d+)").matcher(label);
                assertTrue(m.matches(), "a label's place: " + charts.group(1));
                labels.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))});
            }
            assertEquals(2, labels.size(), charts.group(1));
            assertTrue(labels.stream().allMatch(l -> l[0] >= 0), "both labels are drawn: " + charts.group(1));
            for (int[] a : labels) {
                for (int[] b : labels) {
                    boolean overlap = a != b && a[0] == b[0] && a[1] < b[2] && b[1] < a[2];
                    assertFalse(overlap, "labels overlap on one row: " + charts.group(1));
                }
            }
        }
        assertEquals(2, charted, "the burn rate and budget charts carry the marks");
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void explorerShowsTotalsForTheChosenServer() throws Exception {
        Rendered page = render("explorer", "/ui/explorer.html?server=jira&hours=3", ApiTestKit.sre);
        assertClean(page);
        assertTrue(page.dom().contains("<td class=\"calls\">" + jiraCalls + "</td>"), "all " + jiraCalls + " jira calls");
        assertTrue(page.dom().contains("class=\"trace\" href=\"https://tempo.example/explore?trace=" + TRACE_ID
                + "&amp;span=00f067aa0ba902b7\""), "the failed call links to its trace: " + page.dom().replaceAll(
                "(?s).*<table id=\"recent\">", "").lines().limit(3).toList());
    }

    /** 42 days by 5 minutes would be 12,097 points, over the API's limit: long ranges ask hours. */
    @Test
    void explorerOverSixWeeksAsksHoursAndStillCountsEveryCall() throws Exception {
        Rendered page = render("explorer-42d", "/ui/explorer.html?server=jira&hours=1008", ApiTestKit.sre);
        assertClean(page);
        assertTrue(page.dom().contains("<td class=\"calls\">" + jiraCalls + "</td>"), "all " + jiraCalls + " jira calls");
    }

    @Test
    void auditExplorerListsEventsForAuditorsAndRefusesOtherRoles() throws Exception {
        Rendered page = render("audit", "/ui/audit.html?action=server.disable", ApiTestKit.auditor);
        assertClean(page);
        assertTrue(page.dom().contains("oncall@example.com") && page.dom().contains("INC-42: jira down"));
        Rendered refused = render("audit-as-team", "/ui/audit.html", ApiTestKit.devtools);
        assertTrue(refused.dom().contains("may not read the audit trail"), "the page says why it shows nothing");
        assertEquals(-1, refused.dom().indexOf("oncall@example.com"));
    }

    @Test
    void anAlertLinksToItsLedgerWhoseRowsLinkToTheCallsThatBurnedTheBudget() throws Exception {
        String ledgerLink = "/ui/ledger.html?dedup_key=mcp-slo%3Ajira-availability%3Apage%3A7";
        Rendered detail = render("detail-ledger-link", "/ui/slo.html?id=jira-availability&hours=3", ApiTestKit.sre);
        assertClean(detail);
        assertTrue(detail.dom().contains("href=\"" + ledgerLink + "\""), "the SLO page's alert links to its ledger");
        Rendered overview = render("overview-ledger-link", "/ui/index.html", ApiTestKit.sre);
        assertClean(overview);
        assertTrue(overview.dom().contains("href=\"" + ledgerLink + "\""), "the active alerts list links to the ledger");
        Rendered ledger = render("ledger", ledgerLink, ApiTestKit.sre);
        assertClean(ledger);
        // jira's 4 transport errors a minute, minutes 1 to 19 before now: all of them search_issues, -32603
        String toolTable = ledger.dom().replaceAll("(?s).*<table data-dimension=\"tool\">", "").replaceAll("(?s)</table>.*", "");
        assertTrue(toolTable.contains(">search_issues</a>") && toolTable.contains("<td class=\"bad\">76</td>")
                && toolTable.contains("<td class=\"share\">100.000 %</td>"), toolTable);
        String callsLink = toolTable.replaceAll("(?s).*<a href=\"(/ui/calls\\.html\\?[^\"]*)\">search_issues.*", "$1")
                .replace("&amp;", "&");
        assertTrue(callsLink.startsWith("/ui/calls.html?server=jira&outcome=transport_error"), callsLink);
        Rendered calls = render("ledger-calls", callsLink, ApiTestKit.sre);
        assertClean(calls);
        assertTrue(calls.dom().contains("data-rows=\"76\""), "the ledger row's calls, all of them");
        assertEquals(76, calls.dom().split("class=\"outcome-transport_error\"", -1).length - 1);
    }

    @Test
    void aSessionShowsItsCallsInOrderAndWhereItBroke() throws Exception {
        Rendered page = render("session", "/ui/session.html?id=" + java.net.URLEncoder.encode(SESSION,
                StandardCharsets.UTF_8), ApiTestKit.sre);
        assertClean(page);
        assertEquals(30, page.dom().split("<tr class=\"call ", -1).length - 1, "the 30 calls of minute 3");
        assertTrue(page.dom().contains("session sess-&lt;b&gt;3&lt;/b&gt;"), "the id shows as text");
        assertTrue(page.dom().contains("where it broke: ") && page.dom().contains("jira search_issues transport_error -32603"),
                page.dom());
        Rendered other = render("session-devtools", "/ui/session.html?id=" + java.net.URLEncoder.encode(SESSION,
                StandardCharsets.UTF_8), ApiTestKit.devtools);
        assertEquals(20, other.dom().split("<tr class=\"call ", -1).length - 1, "devtools sees github's calls only");
        assertFalse(other.dom().contains(">jira<"));
    }
}

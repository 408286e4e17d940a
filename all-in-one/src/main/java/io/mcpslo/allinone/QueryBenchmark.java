package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.clickhouse.tools.SyntheticRollups;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.Role;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.query.api.QueryApp;
import io.mcpslo.query.audit.AuditRecorder;
import io.mcpslo.clickhouse.storage.ClickHouseAuditStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.clickhouse.storage.ClickHouseDeadLetterStore;
import io.mcpslo.clickhouse.storage.ClickHouseRollupStore;
import io.mcpslo.clickhouse.storage.ClickHouseSloStore;
import io.mcpslo.schemas.EventCodec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./mcp-slo bench queries}: how fast the dashboards' questions are answered over a realistic store. Fills
 * ClickHouse (a database of its own) with {@code --days} (30) days of one-minute rollups for {@code --servers} (50) ×
 * {@code --tools} (20) tools the way the sink writes them — bulk INSERTs into {@code call_rollups_1m}, one row per
 * (server, tool, version, minute) with its latency sketch, earlier revisions of the last six hours beside the final
 * ones, ingestion time as {@code updated_at} — so the views and the roller see what they see in production; one SLO
 * status snapshot a minute per server's SLO. The roller then catches up (timed). Every question the built-in pages,
 * the Grafana panels and the reports ask is asked {@code --repeat} (10) times (after one unmeasured ask) through the
 * query API, in-process over HTTP, first reading the minutes only (as before the hourly and daily tables: "before"),
 * then through the planner ("after"); p50, p95 and the rows ClickHouse read per answer are printed side by side.
 * Figures are noisy on a shared machine: run it more than once. {@code --reuse} keeps a filled database between runs
 * (topped up to now; filled afresh when more than two days behind).
 */
public final class QueryBenchmark {

    /** "before" questions that take long are asked fewer times: at most this long per question. */
    private static final Duration BEFORE_BUDGET = Duration.ofSeconds(20);

    record Options(int days, int servers, int tools, int repeat, String database, boolean reuse, boolean before,
                   Path json) {

        static Options parse(String[] args) {
            int days = 30;
            int servers = 50;
            int tools = 20;
            int repeat = 10;
            String database = "mcp_slo_bench_queries";
            boolean reuse = false;
            boolean before = true;
            Path json = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--days" -> days = number(args, ++i, 1, 400);
                    case "--servers" -> servers = number(args, ++i, 1, 10_000);
                    case "--tools" -> tools = number(args, ++i, 1, 1_000);
                    case "--repeat" -> repeat = number(args, ++i, 1, 1_000);
                    case "--database" -> database = value(args, ++i);
                    case "--reuse" -> reuse = true;
                    case "--no-before" -> before = false;
                    case "--json" -> json = Path.of(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: mcp-slo bench"
                            + " queries [--days 30] [--servers 50] [--tools 20 (per server)] [--repeat 10]"
                            + " [--database mcp_slo_bench_queries] [--reuse] [--no-before] [--json FILE]");
                }
            }
            return new Options(days, servers, tools, repeat, database, reuse, before, json);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int number(String[] args, int i, int min, int max) {
            String text = value(args, i);
            try {
                int n = Integer.parseInt(text.replace("_", "").replace(",", ""));
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(args[i - 1] + " must be a whole number from " + min + " to " + max);
        }
    }

    /**
     * One question, as a path of the query API; {@code byPages} when a built-in page asks it (5-minute points up to a
     * day, hours beyond, or one bucket), not only an API client (minute steps, 5-minute steps over days).
     */
    record Question(String name, String path, boolean byPages) {

        Question(String name, String path) {
            this(name, path, false);
        }
    }

    /** The steps the built-in pages use over a range (ui.step: 5 minutes up to a day, hours beyond; and "all"). */
    static boolean pagesAsk(Duration range, String step) {
        return step.equals("all") || step.equals(range.compareTo(Duration.ofDays(1)) <= 0 ? "5m" : "1h");
    }

    /** A question's answers: milliseconds per ask and rows read per answer. */
    record Timing(List<Double> millis, long rowsRead, boolean rowsExact, int status, String error) {

        double percentile(double q) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[(int) Math.ceil(q * sorted.length) - 1];
        }
    }

    private QueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mcp-slo bench queries: " + e.getMessage());
            System.exit(2);
            return;
        }
        Settings base = Settings.fromEnvironment().with(Map.of("CLICKHOUSE_DATABASE", options.database()));
        ClickHouseConfig config = ClickHouseConfig.from(base);
        // bulk statements run for minutes on a small machine
        ClickHouseClient admin = new ClickHouseClient(new ClickHouseConfig(config.url(), config.user(), config.password(),
                config.database(), Duration.ofHours(2)));
        admin.createDatabaseIfMissing();
        int toolCount = options.servers() * options.tools();
        System.out.printf("query benchmark: %d days × %,d tools (%d servers × %d), %d cores, ClickHouse %s, database %s%n",
                options.days(), toolCount, options.servers(), options.tools(), Runtime.getRuntime().availableProcessors(),
                admin.serverVersion(), options.database());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("days", options.days());
        figures.put("tools", toolCount);
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("started", Instant.now().toString());
        RollupRoller roller = new RollupRoller(admin, 35);
        long end = filledUntil(admin, options);
        if (end == 0) {
            end = fill(admin, roller, options, figures);
        } else {
            System.out.printf("  reusing the filled database (data up to %s)%n", Instant.ofEpochSecond(end));
            new SchemaMigrator(admin).migrate(); // a database filled before a migration gains its tables
            topUp(admin, options, end);
            RollupRoller.Pass pass = roller.rollOnce();
            System.out.printf("  roller pass: %d day(s) in %.1f s%n", pass.days(), pass.took().toMillis() / 1000.0);
        }
        compactFinishedDays(roller);
        settleMerges(admin);
        System.out.printf("  rows: %s%n", new SyntheticRollups(admin).tableSizes());

        List<SloDefinition> slos = sloDefinitions(options.servers());
        List<Question> questions = questions(options, slos);
        Path tokens = Files.createTempDirectory("mcp-slo-bench-tokens").resolve("tokens");
        String token = TokenStore.create(tokens, "bench-sre", Set.of(new Role.Sre()));
        Map<String, Map<String, Timing>> results = new LinkedHashMap<>();
        ClickHouseClient apiClient = new ClickHouseClient(new ClickHouseConfig(config.url(), config.user(),
                config.password(), config.database(), Duration.ofSeconds(120)));
        for (boolean planned : options.before() ? List.of(false, true) : List.of(true)) {
            String mode = planned ? "after" : "before";
            Javalin app = api(apiClient, planned, slos, tokens);
            try {
                System.out.printf("%n  asking %d questions %d times each (%s: %s)%n", questions.size(), options.repeat(),
                        mode, planned ? "the planner: days, hours, minutes" : "minutes only, as before");
                int minuteOfHour = Instant.now().atZone(ZoneOffset.UTC).getMinute();
                // a range ending now starts at the same minute of the hour: its ragged start, up to the next whole
                // hour, is read from minute rows, so the same question costs most when asked just after the hour
                System.out.printf("  asked from %s: the ranges start %d minutes into the hour (%d minute rows per tool"
                        + " before their first whole hour; at most 59, asked at :01)%n",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS), minuteOfHour, (60 - minuteOfHour) % 60);
                figures.put("asked_minute_of_hour", minuteOfHour);
                Map<String, Timing> timings = new LinkedHashMap<>();
                for (Question question : questions) {
                    Timing timing = ask(app, token, question, options.repeat(), planned ? null : BEFORE_BUDGET);
                    timings.put(question.name(), timing);
                }
                results.put(mode, timings);
                if (planned) {
                    figures.put("grafana", timeGrafanaPanels(apiClient, options));
                    figures.put("weekly_report", timeWeeklyReport(app, token, options));
                    figures.put("pages", timePages(app, token, options, slos));
                }
            } finally {
                app.stop();
            }
        }
        print(questions, results, figures);
        if (options.json() != null) {
            Files.writeString(options.json(), EventCodec.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(figures));
            System.out.println("figures written to " + options.json());
        }
    }

    // ---------------------------------------------------------------------------------------------------- the store

    /**
     * Further roller passes until no finished day is left in several parts, as a roller running once a minute leaves
     * the store within minutes of a fill; the questions are asked of that steady state.
     */
    private static void compactFinishedDays(RollupRoller roller) {
        long began = System.nanoTime();
        int days = 0;
        for (int i = 0; i < 100; i++) {
            RollupRoller.Pass pass = roller.rollOnce();
            days += pass.compactedDays();
            if (pass.compactedDays() == 0) {
                break;
            }
        }
        System.out.printf("  roller compacted %d finished day(s) of by-time minutes in %.0f s%n", days,
                (System.nanoTime() - began) / 1e9);
    }

    /**
     * Waits (up to two minutes) until ClickHouse has no merge running in the bench's database. A fill or top-up writes
     * hours of every tool at once, far more than a live sink's steady trickle, and the merges of that burst took a core
     * from the first questions: the same question moved by half from one run to the next.
     */
    private static void settleMerges(ClickHouseClient admin) {
        long began = System.nanoTime();
        String running = "SELECT count() AS n FROM system.merges WHERE database = " + SqlLiteral.string(admin.database());
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() - began < Duration.ofMinutes(2).toNanos()) {
            quiet = admin.query(running).get(0).get("n").asLong() == 0 ? quiet + 1 : 0;
            if (quiet < 2) {
                sleep(Duration.ofSeconds(1));
            }
        }
        System.out.printf(quiet >= 2 ? "  ClickHouse's merges settled in %.0f s%n"
                : "  ClickHouse still merging after %.0f s; asking anyway%n", (System.nanoTime() - began) / 1e9);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A reused database gets the minutes and SLO snapshots from where its data ends to now, the last six hours again
     * in earlier revisions, as a fill would have: the questions ask up to now, and a range whose recent end is empty
     * (or whose SLOs look quiet) reads less than a live store does.
     */
    private static void topUp(ClickHouseClient admin, Options options, long end) {
        long now = Instant.now().getEpochSecond() / 60 * 60;
        if (now - end < 60) {
            return;
        }
        long began = System.nanoTime();
        var synthetic = new SyntheticRollups(admin);
        for (long from = end; from < now; from += 1_440 * 60) {
            synthetic.insertMinutes(options.servers(), options.tools(), from, Math.min(1_440, (now - from) / 60), 100);
        }
        long revised = Math.max(end, now - 6 * 3_600);
        for (int fraction : new int[] {40, 70}) {
            synthetic.insertMinutes(options.servers(), options.tools(), revised, (now - revised) / 60, fraction);
        }
        synthetic.insertStatuses(options.servers(), end, now);
        System.out.printf("  topped up to now: %,d minutes of every tool and SLO in %.0f s%n", (now - end) / 60,
                (System.nanoTime() - began) / 1e9);
    }

    /** The end of the data already in the database when it matches the options and --reuse is given; else 0. */
    private static long filledUntil(ClickHouseClient admin, Options options) {
        if (!options.reuse()) {
            return 0;
        }
        long end = new SyntheticRollups(admin).filledUntil(options.servers() * options.tools(), options.days());
        // more than two days behind: filled afresh rather than topped up
        return end < Instant.now().getEpochSecond() - 2 * 86_400 ? 0 : end;
    }

    private static long fill(ClickHouseClient admin, RollupRoller roller, Options options, Map<String, Object> figures) {
        var synthetic = new SyntheticRollups(admin);
        synthetic.recreate();
        roller.rollOnce(); // a roller runs from the start, as in the one-machine mode: its first pass has nothing to do
        long end = Instant.now().getEpochSecond() / 60 * 60;
        long start = end - options.days() * 86_400L;
        int tools = options.servers() * options.tools();
        long began = System.nanoTime();
        long rows = 0;
        for (long day = start; day < end; day += 86_400) {
            long minutes = Math.min(1_440, (end - day) / 60);
            synthetic.insertMinutes(options.servers(), options.tools(), day, minutes, 100);
            rows += minutes * tools;
            System.out.printf("\r  filling call_rollups_1m: %,d rows (%d of %d days) in %.0f s   ", rows,
                    (day - start) / 86_400 + 1, options.days(), (System.nanoTime() - began) / 1e9);
        }
        // the stream re-emits a minute as it grows: the last six hours also hold earlier, smaller revisions
        for (int fraction : new int[] {40, 70}) {
            synthetic.insertMinutes(options.servers(), options.tools(), end - 6 * 3_600, 360, fraction);
            rows += 360L * tools;
        }
        double fillSeconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("\r  filled call_rollups_1m: %,d rows (%d days, the last 6 h in 3 revisions) in %.0f s"
                + " (%,.0f rows/s, the by-time copy and the touches written alongside by their views)%n", rows,
                options.days(), fillSeconds, rows / fillSeconds);
        long statusStarted = System.nanoTime();
        synthetic.insertStatuses(options.servers(), start, end);
        System.out.printf("  filled slo_status: %,d snapshots (%d SLOs, one a minute) in %.0f s%n",
                (end - start) / 60 * options.servers(), options.servers(), (System.nanoTime() - statusStarted) / 1e9);
        RollupRoller.Pass pass = roller.rollOnce();
        System.out.printf("  roller caught up: %d days rolled into hours and days in %.1f s%n", pass.days(),
                pass.took().toMillis() / 1000.0);
        figures.put("fill_rows", rows);
        figures.put("fill_seconds", Math.round(fillSeconds));
        figures.put("roll_seconds", pass.took().toMillis() / 1000.0);
        return end;
    }

    private static List<SloDefinition> sloDefinitions(int servers) {
        List<SloDefinition> slos = new ArrayList<>();
        RollingWindow window = new RollingWindow(Duration.ofDays(30));
        for (int s = 0; s < servers; s++) {
            slos.add(new SloDefinition("server-" + s + "-availability", "team-" + s % 10, "",
                    new SloScope("server-" + s, null, null), new AvailabilitySli(FailureLocus.TRANSPORT, false, false),
                    new Objective(0.995), window, AlertPolicy.defaultsFor(window)));
        }
        return slos;
    }

    // ------------------------------------------------------------------------------------------------- the questions

    private static List<Question> questions(Options options, List<SloDefinition> slos) {
        List<Question> questions = new ArrayList<>();
        int focus = Math.min(7, options.servers() - 1); // server-7 has the incidents
        String server = "server=server-" + focus;
        String tool = server + "&tool=tool_" + Math.min(3, options.tools() - 1);
        Map<String, Duration> ranges = new LinkedHashMap<>();
        ranges.put("1h", Duration.ofHours(1));
        ranges.put("24h", Duration.ofHours(24));
        ranges.put("7d", Duration.ofDays(7));
        ranges.put("30d", Duration.ofDays(30));
        Map<String, List<String>> stepsByRange = Map.of("1h", List.of("1m", "5m", "all"),
                "24h", List.of("1m", "5m", "1h", "all"), "7d", List.of("5m", "1h", "all"),
                "30d", List.of("5m", "1h", "all"));
        for (String endpoint : List.of("latency", "failures")) {
            for (var scope : Map.of("server", server, "tool", tool).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                for (var range : ranges.entrySet()) {
                    if (range.getValue().toDays() > options.days()) {
                        continue;
                    }
                    for (String step : stepsByRange.get(range.getKey())) {
                        questions.add(new Question("/" + endpoint + " " + scope.getKey() + " " + range.getKey() + " by "
                                + step, "/api/v1/" + endpoint + "?" + scope.getValue() + "&" + range(range.getValue())
                                + "&step=" + step, pagesAsk(range.getValue(), step)));
                    }
                }
            }
        }
        for (var range : ranges.entrySet()) {
            if (range.getKey().equals("1h") || range.getValue().toDays() > options.days()) {
                continue;
            }
            // the SLO page of a fleet-wide SLO asks the fleet's 20 worst tools (slo.js); an API client, a longer page
            questions.add(new Question("/tools fleet " + range.getKey() + " by failures, 20 (SLO page)",
                    "/api/v1/tools?" + range(range.getValue()) + "&sort=failures&limit=20", true));
            questions.add(new Question("/tools fleet " + range.getKey() + " by failures, 100",
                    "/api/v1/tools?" + range(range.getValue()) + "&sort=failures&limit=100"));
        }
        Duration longest = Duration.ofDays(Math.min(30, options.days()));
        questions.add(new Question("/tools fleet " + longest.toDays() + "d by p95, page 2",
                "/api/v1/tools?" + range(longest) + "&sort=p95&limit=100&offset=100"));
        questions.add(new Question("/tools server " + longest.toDays() + "d by calls",
                "/api/v1/tools?" + server + "&" + range(longest) + "&sort=calls"));
        questions.add(new Question("/tools server 24h (SLO page)", "/api/v1/tools?" + server + "&"
                + range(Duration.ofHours(24)) + "&sort=failures&limit=20", true));
        String slo = slos.get(focus).id();
        questions.add(new Question("/slos (overview)", "/api/v1/slos", true));
        questions.add(new Question("/slos/{id} 24h by 5m (SLO page)", "/api/v1/slos/" + slo + "?" + range(Duration.ofHours(24))
                + "&step=5m", true));
        questions.add(new Question("/slos/{id} 6h by 5m (overview sparkline)", "/api/v1/slos/" + slo + "?"
                + range(Duration.ofHours(6)) + "&step=5m"));
        questions.add(new Question("/slos/{id} 7d by 1h", "/api/v1/slos/" + slo + "?" + range(Duration.ofDays(7))
                + "&step=1h", true));
        questions.add(new Question("/slos/{id} " + longest.toDays() + "d by 1d", "/api/v1/slos/" + slo + "?"
                + range(longest) + "&step=1d"));
        return questions;
    }

    /** from = now − range, to = now, to the minute, as the pages ask (so hours and days come with ragged ends). */
    private static String range(Duration range) {
        Instant to = Instant.now().atOffset(ZoneOffset.UTC).withSecond(0).withNano(0).toInstant();
        return "from=" + encode(to.minus(range).toString()) + "&to=" + encode(to.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Javalin api(ClickHouseClient client, boolean planned, List<SloDefinition> slos, Path tokens) {
        var reports = new ClickHouseReportStore(client);
        AuditRecorder recorder = event -> { };
        var services = new QueryApp.Services(new ClickHouseRollupStore(client, planned), new ClickHouseSloStore(client),
                new ClickHouseAuditStore(client), recorder, () -> slos, new BearerAuth(new TokenStore(tokens)),
                new byte[32], reports, new ReportService(reports, () -> slos, ZoneOffset.UTC, Optional.empty(),
                        Clock.systemUTC()), new ClickHouseDeadLetterStore(client),
                new io.mcpslo.clickhouse.storage.ClickHouseCallStore(client), io.mcpslo.query.api.TraceLinks.none(),
                new io.mcpslo.query.store.InMemorySilenceStore(), new io.mcpslo.query.store.InMemoryAckPublisher());
        return QueryApp.create("127.0.0.1", services, Clock.systemUTC(), 10_000,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(0);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Asks once unmeasured, then {@code repeat} times (fewer if a budget is given and used up). */
    private static Timing ask(Javalin app, String token, Question question, int repeat, Duration budget) {
        List<Double> millis = new ArrayList<>();
        long rows = 0;
        boolean rowsExact = true;
        long started = System.nanoTime();
        for (int i = 0; i <= repeat; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + question.path()))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(3)).GET().build();
            long t0 = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return new Timing(millis, rows, rowsExact, 0, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Timing(millis, rows, rowsExact, 0, "interrupted");
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (response.statusCode() != 200) {
                return new Timing(millis, rows, rowsExact, response.statusCode(), response.body().length() > 200
                        ? response.body().substring(0, 200) : response.body());
            }
            rows = response.headers().firstValueAsLong("X-ClickHouse-Rows-Read").orElse(-1);
            rowsExact = !response.headers().firstValue("X-ClickHouse-Rows-Read-Exact").orElse("true").equals("false");
            if (i > 0) {
                millis.add(ms);
            }
            if (budget != null && i > 0 && System.nanoTime() - started > budget.toNanos()) {
                break;
            }
        }
        return new Timing(millis, rows, rowsExact, 200, null);
    }

    /** A team's weekly report for the last whole week, generated (read, rendered, stored) three times. */
    private static Map<String, Object> timeWeeklyReport(Javalin app, String token, Options options) {
        String team = "team-" + Math.min(7, options.servers() - 1) % 10;
        List<Double> millis = new ArrayList<>();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("team", team);
        for (int i = 0; i < 3; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/reports"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"team\": \"" + team + "\"}")).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    row.put("error", response.statusCode() + " " + response.body());
                    System.out.printf("%n  weekly report (%s): failed: %d %s%n", team, response.statusCode(), response.body());
                    return row;
                }
            } catch (IOException | InterruptedException e) {
                row.put("error", e.toString());
                return row;
            }
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        Timing timing = new Timing(millis, 0, true, 201, null);
        System.out.printf("%n  weekly report for %s (its SLOs' week of minutes, tools, alerts; rendered and stored):"
                + " %.0f ms median of 3%n", team, timing.percentile(0.5));
        row.put("p50_ms", round(timing.percentile(0.5)));
        return row;
    }

    private static final Path EXPLORER_DASHBOARD = Path.of("dashboards", "grafana", "dashboards", "explorer.json");

    /**
     * The Grafana explorer's panels, their SQL expanded as Grafana and its ClickHouse plugin send it (a panel 1,200
     * points wide picks {@code $__interval_s}) and run straight on ClickHouse, for one server and tool over 24 h, 7 d
     * and 30 d.
     */
    private static List<Map<String, Object>> timeGrafanaPanels(ClickHouseClient client, Options options)
            throws IOException {
        List<Map<String, Object>> panels = new ArrayList<>();
        if (!Files.exists(EXPLORER_DASHBOARD)) {
            System.out.println("\n  Grafana panels: not timed — " + EXPLORER_DASHBOARD + " not found (run from the repository)");
            return panels;
        }
        int focus = Math.min(7, options.servers() - 1);
        JsonNode dashboard = EventCodec.MAPPER.readTree(EXPLORER_DASHBOARD.toFile());
        System.out.printf("%n  Grafana explorer panels (SQL as the plugin sends it), ms, %d times each%n", options.repeat());
        for (Duration range : List.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30))) {
            if (range.toDays() > options.days()) {
                continue;
            }
            long to = Instant.now().getEpochSecond();
            long from = to - range.toSeconds();
            long interval = grafanaInterval(range, 1_200);
            for (JsonNode panel : dashboard.get("panels")) {
                String title = panel.get("title").asText().replaceAll(" \\(.*", "");
                String sql = panel.get("targets").get(0).get("rawSql").asText()
                        .replaceAll("\\$__timeFilter\\(([a-z_]+)\\)", "$1 >= toDateTime(" + from + ") AND $1 <= toDateTime(" + to + ")")
                        .replace("$__fromTime", "toDateTime(" + from + ")").replace("$__toTime", "toDateTime(" + to + ")")
                        .replace("$__interval_s", String.valueOf(interval))
                        .replace("${server:percentencode}", "server-" + focus)
                        .replace("${tool:percentencode}", "tool_" + Math.min(3, options.tools() - 1));
                String name = "grafana " + title + " " + (range.toHours() <= 24 ? range.toHours() + "h" : range.toDays() + "d");
                List<Double> millis = new ArrayList<>();
                String error = null;
                for (int i = 0; i <= options.repeat() && error == null; i++) {
                    long t0 = System.nanoTime();
                    try {
                        client.query(sql);
                    } catch (RuntimeException e) {
                        error = e.getMessage();
                    }
                    if (i > 0 && error == null) {
                        millis.add((System.nanoTime() - t0) / 1e6);
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("panel", name);
                if (error != null) {
                    System.out.printf("  %-44s failed: %s%n", name, error.replaceAll("\\s+", " "));
                    row.put("error", error);
                } else {
                    Timing timing = new Timing(millis, 0, true, 200, null);
                    System.out.printf("  %-44s %7.1f  %7.1f%n", name, timing.percentile(0.5), timing.percentile(0.95));
                    row.put("p50_ms", round(timing.percentile(0.5)));
                    row.put("p95_ms", round(timing.percentile(0.95)));
                }
                panels.add(row);
            }
        }
        return panels;
    }

    /**
     * {@code $__interval_s} as Grafana computes it for a panel {@code points} wide: the range over the points, rounded
     * to Grafana's nearest "nice" interval (its {@code roundInterval}: 1 min below 1.5 min, 2 min below 3.5, 5 below
     * 7.5, 10 below 12.5, 15 below 17.5, 20 below 25, 30 below 45, 1 h below 1.5 h, …).
     */
    static long grafanaInterval(Duration range, int points) {
        long millis = range.toMillis() / points;
        long[][] steps = {{15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1_500, 1_000},
                {3_500, 2_000}, {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000},
                {90_000, 60_000}, {210_000, 120_000}, {450_000, 300_000}, {750_000, 600_000}, {1_050_000, 900_000},
                {1_500_000, 1_200_000}, {2_700_000, 1_800_000}, {5_400_000, 3_600_000}, {9_000_000, 7_200_000},
                {16_200_000, 10_800_000}, {32_400_000, 21_600_000}, {86_400_000, 43_200_000}};
        for (long[] step : steps) {
            if (millis < step[0]) {
                return Math.max(1, step[1] / 1_000);
            }
        }
        return 86_400;
    }

    /**
     * The built-in pages as a viewer opens them, in headless chromium: milliseconds from navigation until the page
     * has rendered everything it fetched. Printed at once; skipped, saying so, where chromium is not installed.
     */
    private static List<Map<String, Object>> timePages(Javalin app, String token, Options options,
                                                       List<SloDefinition> slos) {
        Optional<String> chromium = PageTimer.chromium();
        List<Map<String, Object>> pages = new ArrayList<>();
        if (chromium.isEmpty()) {
            System.out.println("\n  pages: not timed — chromium is not installed (./mcp-slo test installs it)");
            return pages;
        }
        int focus = Math.min(7, options.servers() - 1);
        String slo = slos.get(focus).id();
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("overview (all SLOs, sparklines, alerts)", "/ui/index.html");
        urls.put("SLO page, 24 h", "/ui/slo.html?id=" + slo + "&hours=24");
        urls.put("SLO page, 7 d", "/ui/slo.html?id=" + slo + "&hours=168");
        urls.put("explorer, one server, 24 h", "/ui/explorer.html?server=server-" + focus + "&hours=24");
        urls.put("explorer, one server, 30 d", "/ui/explorer.html?server=server-" + focus + "&hours=720");
        urls.put("explorer, whole fleet, 7 d", "/ui/explorer.html?hours=168");
        System.out.printf("%n  pages in headless chromium (%s), ms until the page rendered its data, %d loads each%n",
                chromium.get(), options.repeat());
        double slowest = 0;
        try (PageTimer timer = PageTimer.start(chromium.get())) {
            for (var page : urls.entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("page", page.getKey());
                row.put("path", page.getValue());
                try {
                    Timing timing = new Timing(timer.time("http://127.0.0.1:" + app.port() + page.getValue() + "#token="
                            + token, options.repeat()), 0, true, 200, null);
                    System.out.printf("  %-44s %7.1f  %7.1f%n", page.getKey(), timing.percentile(0.5),
                            timing.percentile(0.95));
                    row.put("p50_ms", round(timing.percentile(0.5)));
                    row.put("p95_ms", round(timing.percentile(0.95)));
                    slowest = Math.max(slowest, timing.percentile(0.95));
                } catch (Exception e) {
                    System.out.printf("  %-44s failed: %s%n", page.getKey(), e.getMessage());
                    row.put("error", String.valueOf(e.getMessage()));
                }
                pages.add(row);
            }
        } catch (Exception e) {
            System.out.println("  pages: chromium could not be driven: " + e.getMessage());
        }
        System.out.printf("  slowest page (p95): %.1f ms%n", slowest);
        return pages;
    }

    private static void print(List<Question> questions, Map<String, Map<String, Timing>> results,
                              Map<String, Object> figures) {
        boolean before = results.containsKey("before");
        System.out.println();
        System.out.printf("  %-44s %s%s%n", "question", before ? String.format("%-36s", "before (minutes only)") : "",
                "after (planner)");
        System.out.printf("  %-44s %s%s%n", "", before ? String.format("%-36s", "p50 ms   p95 ms   rows read  n") : "",
                "p50 ms   p95 ms   rows read  n");
        List<Map<String, Object>> rows = new ArrayList<>();
        double worstAfter = 0;
        String worstQuestion = null;
        double worstPageAfter = 0;
        String worstPageQuestion = null;
        for (Question question : questions) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("question", question.name());
            row.put("path", question.path());
            row.put("asked_by_pages", question.byPages());
            StringBuilder line = new StringBuilder(String.format("  %-44s ", question.name() + (question.byPages() ? " *" : "")));
            for (String mode : before ? List.of("before", "after") : List.of("after")) {
                Timing timing = results.get(mode).get(question.name());
                if (timing.error() != null) {
                    line.append(String.format("%-36s", "failed: " + timing.status() + " " + timing.error()
                            .replaceAll("\\s+", " ")).substring(0, 36));
                    row.put(mode + "_error", timing.status() + " " + timing.error());
                    continue;
                }
                line.append(String.format("%7.1f  %7.1f  %10s %2d  ", timing.percentile(0.5), timing.percentile(0.95),
                        (timing.rowsExact() ? "" : "≥") + String.format("%,d", timing.rowsRead()), timing.millis().size()));
                row.put(mode + "_p50_ms", round(timing.percentile(0.5)));
                row.put(mode + "_p95_ms", round(timing.percentile(0.95)));
                row.put(mode + "_rows_read", timing.rowsRead());
                row.put(mode + "_rows_read_exact", timing.rowsExact());
                row.put(mode + "_asked", timing.millis().size());
                if (mode.equals("after") && timing.percentile(0.95) > worstAfter) {
                    worstAfter = timing.percentile(0.95);
                    worstQuestion = question.name();
                }
                if (mode.equals("after") && question.byPages() && timing.percentile(0.95) > worstPageAfter) {
                    worstPageAfter = timing.percentile(0.95);
                    worstPageQuestion = question.name();
                }
            }
            System.out.println(line);
            rows.add(row);
        }
        System.out.printf("%n  * asked by the built-in pages (the others: API clients, e.g. minute steps or 5-minute steps"
                + " over days)%n");
        System.out.printf("  ≥ rows read: a statement answered in RowBinary, which 18.16 sends without statistics; its rows"
                + " returned are counted%n");
        System.out.printf("  slowest answer a page asks (after, p95): %.1f ms — %s%n", worstPageAfter, worstPageQuestion);
        System.out.printf("  slowest answer (after, p95): %.1f ms — %s%n", worstAfter, worstQuestion);
        figures.put("slowest_page_question_after_p95_ms", round(worstPageAfter));
        figures.put("questions", rows);
        figures.put("slowest_after_p95_ms", round(worstAfter));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}

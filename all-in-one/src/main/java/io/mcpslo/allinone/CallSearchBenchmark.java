package io.mcpslo.allinone;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.clickhouse.tools.SyntheticCalls;
import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.Role;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.common.config.Settings;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.query.api.QueryApp;
import io.mcpslo.clickhouse.storage.ClickHouseAuditStore;
import io.mcpslo.clickhouse.storage.ClickHouseCallStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.clickhouse.storage.ClickHouseDeadLetterStore;
import io.mcpslo.clickhouse.storage.ClickHouseRollupStore;
import io.mcpslo.clickhouse.storage.ClickHouseSloStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * {@code ./mcp-slo bench calls [CALLS] [--keep]}: fills a database of its own with CALLS raw calls (default 10 million) over one
 * day — 1,000 tools on 50 servers, 100,000 sessions, 20,000 users, 4 calls a trace, background failures and a one-hour
 * incident — through the calls table (so the correlation copy is fed by its materialized view, as in production), then
 * times call searches and budget ledgers over the incident's hour through the real HTTP API and prints p50/p95.
 * {@code --keep} leaves the database (mcp_slo_bench_calls, or {@code --database=NAME}) for a look; a later run with
 * {@code --reuse} migrates it (tables added since are filled from its calls) and times it again without filling.
 */
public final class CallSearchBenchmark {

    private static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z");
    private static final Instant INCIDENT = DAY.plus(Duration.ofHours(14));
    private static final int BATCH = 1_000_000;
    private static final int RUNS = 40;

    private CallSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        long calls = options.stream().filter(a -> !a.startsWith("--")).findFirst()
                .map(a -> Long.parseLong(a.replace("_", "").replace(",", ""))).orElse(10_000_000L);
        String database = options.stream().filter(a -> a.startsWith("--database=")).findFirst()
                .map(a -> a.substring("--database=".length())).orElse("mcp_slo_bench_calls");
        var client = new ClickHouseClient(ClickHouseConfig.from(Settings.fromEnvironment()
                .with(Map.of("CLICKHOUSE_DATABASE", database, "CLICKHOUSE_TIMEOUT", "600s"))));
        client.createDatabaseIfMissing();
        if (!options.contains("--reuse")) {
            client.execute("DROP DATABASE IF EXISTS " + database); // a run stopped half-way left its calls
        }
        new SchemaMigrator(client).migrate(); // a kept database gains the tables added since, filled from its calls
        try {
            if (!options.contains("--reuse")) {
                fill(client, calls);
            }
            deriveRollupsAndAlert(client);
            measure(client);
        } finally {
            if (!options.contains("--keep")) {
                client.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    private static void fill(ClickHouseClient client, long calls) {
        long started = System.nanoTime();
        var synthetic = new SyntheticCalls(client);
        for (long offset = 0; offset < calls; offset += BATCH) {
            synthetic.insert(offset, Math.min(BATCH, calls - offset), calls, DAY, INCIDENT);
        }
        double fillSeconds = (System.nanoTime() - started) / 1e9;
        long stored = synthetic.rows("calls");
        long copies = synthetic.rows("call_correlation_times");
        System.out.printf("filled %,d calls in %.1f s (%,.0f calls/s, the correlation keys fed by their view: %,d rows)%n",
                stored, fillSeconds, stored / fillSeconds, copies);
    }

    /** The minute rollups and the page alert of the filled calls, unless a kept database has them already. */
    private static void deriveRollupsAndAlert(ClickHouseClient client) {
        new SyntheticCalls(client).deriveRollupsAndAlert(DAY, INCIDENT);
    }

    private static void measure(ClickHouseClient client) throws Exception {
        Path tokens = Files.createTempDirectory("mcp-slo-bench-calls").resolve("tokens");
        String token = TokenStore.create(tokens, "bench", Set.of(new Role.Sre()));
        var window = new RollingWindow(Duration.ofDays(30));
        List<SloDefinition> slos = List.of(
                new SloDefinition("bench-availability", "team-2", "", new SloScope("server-7", null, null),
                        new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.999), window,
                        AlertPolicy.defaultsFor(window)),
                new SloDefinition("bench-latency", "team-2", "", new SloScope("server-7", "tool-7-3", null),
                        new LatencyThresholdSli(800), new Objective(0.99), window, AlertPolicy.defaultsFor(window)));
        Clock clock = Clock.fixed(INCIDENT.plus(Duration.ofHours(1)), ZoneOffset.UTC);
        var reports = new ClickHouseReportStore(client);
        var services = new QueryApp.Services(new ClickHouseRollupStore(client), new ClickHouseSloStore(client),
                new ClickHouseAuditStore(client), event -> { }, () -> slos, new BearerAuth(new TokenStore(tokens)),
                new byte[32], reports, new ReportService(reports, () -> slos, ZoneOffset.UTC, Optional.empty(), clock),
                new ClickHouseDeadLetterStore(client), new ClickHouseCallStore(client),
                io.mcpslo.query.api.TraceLinks.none(),
                new io.mcpslo.query.store.InMemorySilenceStore(), new io.mcpslo.query.store.InMemoryAckPublisher());
        Javalin app = QueryApp.create("127.0.0.1", services, clock, 10_000,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String hour = "from=" + INCIDENT + "&to=" + INCIDENT.plus(Duration.ofHours(1));
            Random random = new Random(15);
            Map<String, IntFunction<String>> searches = new LinkedHashMap<>();
            searches.put("calls by session", i -> "/api/v1/calls?session=sess-" + random.nextInt(100_000) + "&" + hour);
            searches.put("calls by user", i -> "/api/v1/calls?user=user-" + random.nextInt(20_000) + "&" + hour);
            searches.put("calls by trace", i -> "/api/v1/calls?trace=" + trace(client, random.nextInt(1000)) + "&" + hour);
            searches.put("calls by server+tool+outcome", i -> "/api/v1/calls?server=server-" + random.nextInt(50)
                    + "&tool=tool-7-3&outcome=transport_error&" + hour);
            // what an on-call engineer asks from a page without naming a server: one fleet-wide filter at a time
            searches.put("fleet: error_code", i -> "/api/v1/calls?error_code=-32603&limit=100&" + hour);
            searches.put("fleet: error_type", i -> "/api/v1/calls?error_type=timeout&" + hour);
            searches.put("fleet: outcome transport_error", i -> "/api/v1/calls?outcome=transport_error&" + hour);
            searches.put("fleet: outcome tool_error (rare)", i -> "/api/v1/calls?outcome=tool_error&" + hour);
            searches.put("fleet: outcome all failures", i -> "/api/v1/calls?outcome=tool_error,transport_error,denied,"
                    + "rate_limited&" + hour);
            searches.put("fleet: gateway (source)", i -> "/api/v1/calls?source=gw-" + random.nextInt(4) + "&" + hour);
            searches.put("fleet: team", i -> "/api/v1/calls?team=team-" + random.nextInt(5) + "&" + hour);
            searches.put("fleet: min_ms 900 (2 %)", i -> "/api/v1/calls?min_ms=900&" + hour);
            searches.put("fleet: min_ms 500 (half)", i -> "/api/v1/calls?min_ms=500&" + hour);
            searches.put("fleet: no filter, newest first", i -> "/api/v1/calls?" + hour);
            // pages of 20, so that a small fill has a second page too
            searches.put("fleet: error_code, page 2", i -> "/api/v1/calls?error_code=-32603&limit=20&" + hour
                    + "&cursor=" + secondPage(http, app, token, "/api/v1/calls?error_code=-32603&limit=20&" + hour));
            searches.put("session view", i -> "/api/v1/sessions/sess-" + random.nextInt(100_000) + "?" + hour);
            Map<String, IntFunction<String>> ledgers = new LinkedHashMap<>();
            ledgers.put("SLO ledger (availability, 1 h)", i -> "/api/v1/slos/bench-availability/ledger?" + hour);
            ledgers.put("SLO ledger (latency, 1 h)", i -> "/api/v1/slos/bench-latency/ledger?" + hour);
            ledgers.put("alert ledger (page-1h-5m)", i -> "/api/v1/alerts/bench:page:1/ledger");
            System.out.printf("%-34s %8s %8s %8s %12s  (%d runs each, one-hour window, through the HTTP API)%n",
                    "query", "p50 ms", "p95 ms", "max ms", "rows read", RUNS);
            List<Double> allSearches = new ArrayList<>();
            List<Double> allLedgers = new ArrayList<>();
            for (var entry : searches.entrySet()) {
                allSearches.addAll(time(http, app, token, entry.getKey(), entry.getValue()));
            }
            for (var entry : ledgers.entrySet()) {
                allLedgers.addAll(time(http, app, token, entry.getKey(), entry.getValue()));
            }
            print("call search, all of the above", allSearches);
            print("ledger, all of the above", allLedgers);
        } finally {
            app.stop();
        }
    }

    private static String trace(ClickHouseClient client, int nth) {
        return new SyntheticCalls(client).traceInHour(INCIDENT, nth);
    }

    /** The cursor of the first page's answer, for timing the second page. */
    private static String secondPage(HttpClient http, Javalin app, String token, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                    + path)).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("next_cursor").asText();
        } catch (Exception e) {
            throw new IllegalStateException(path, e);
        }
    }

    private static List<Double> time(HttpClient http, Javalin app, String token, String name, IntFunction<String> paths)
            throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Long> rowsRead = new ArrayList<>();
        for (int run = 0; run < RUNS + 3; run++) {
            String path = paths.apply(run);
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                    + path)).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - started) / 1e6;
            if (response.statusCode() != 200 && response.statusCode() != 404) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            if (run >= 3) { // the first runs warm the JVM and ClickHouse's caches
                millis.add(elapsed);
                response.headers().firstValue("X-ClickHouse-Rows-Read").map(Long::parseLong).ifPresent(rowsRead::add);
            }
        }
        print(name, millis, rowsRead);
        return millis;
    }

    private static void print(String name, List<Double> millis) {
        print(name, millis, List.of());
    }

    private static void print(String name, List<Double> millis, List<Long> rowsRead) {
        List<Double> sorted = millis.stream().sorted().toList();
        List<Long> rows = rowsRead.stream().sorted().toList();
        System.out.printf("%-34s %8.1f %8.1f %8.1f %12s%n", name, percentile(sorted, 0.50), percentile(sorted, 0.95),
                sorted.get(sorted.size() - 1), rows.isEmpty() ? "" : String.format("%,d", rows.get(rows.size() / 2)));
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }
}

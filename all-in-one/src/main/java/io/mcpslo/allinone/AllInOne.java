package io.mcpslo.allinone;

import io.mcpslo.common.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** `./mcp-slo up`: the whole pipeline on one machine, plus a traffic simulator unless --no-simulator. */
public final class AllInOne {

    private AllInOne() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> flags = List.of(args);
        for (String flag : flags) {
            if (!flag.equals("--no-simulator") && !flag.equals("--backfill-week")) {
                System.err.println("unknown option " + flag + "; usage: mcp-slo up [--no-simulator] [--backfill-week]");
                System.exit(2);
            }
        }
        Settings settings = Settings.fromEnvironment();
        int backfillPerMinute = settings.integer("SIMULATOR_BACKFILL_EVENTS_PER_MINUTE", 6, 1, 1000);
        WeekBackfill.PastImport pastImport = null;
        if (flags.contains("--backfill-week") && !flags.contains("--no-simulator")) {
            try {
                pastImport = WeekBackfill.importPast(settings, backfillPerMinute);
            } catch (IOException | RuntimeException e) {
                System.out.println("mcp-slo: the back-fill's import failed, so the pipeline starts without the"
                        + " back-fill: " + e + ". What it stored before failing stays; `./mcp-slo reset` empties the"
                        + " data dir for a complete back-fill.");
            }
        }
        Pipeline pipeline = Pipeline.start(settings);
        TrafficSimulator simulator = null;
        if (!flags.contains("--no-simulator")) {
            simulator = new TrafficSimulator(new TrafficSimulator.Options(
                    URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events"), pipeline.tokens().gateway(),
                    settings.integer("SIMULATOR_EVENTS_PER_SECOND", 50, 1, 100_000),
                    settings.duration("SIMULATOR_INCIDENT_AFTER", Duration.ofMinutes(3)),
                    settings.duration("SIMULATOR_INCIDENT_LENGTH", Duration.ofMinutes(2)),
                    System.nanoTime()), Clock.systemUTC());
            if (pastImport != null) {
                WeekBackfill.run(pipeline, simulator, pastImport);
            }
            Thread.ofPlatform().name("traffic-simulator").daemon().start(simulator);
        }
        printUrls(pipeline, simulator != null);
        CountDownLatch stopped = new CountDownLatch(1);
        TrafficSimulator finalSimulator = simulator;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nmcp-slo: stopping…");
            if (finalSimulator != null) {
                finalSimulator.close();
            }
            pipeline.close();
            System.out.println("mcp-slo: stopped cleanly");
            stopped.countDown();
        }, "all-in-one-shutdown"));
        stopped.await();
    }

    private static void printUrls(Pipeline pipeline, boolean simulating) {
        String query = "http://127.0.0.1:" + pipeline.queryPort();
        System.out.println();
        System.out.println("mcp-slo is up" + (simulating ? " with simulated MCP gateway traffic" : ""));
        System.out.println("  tokens        " + pipeline.tokens().file() + "   (one per role; `source` it, then send"
                + " -H \"Authorization: Bearer $MCP_SLO_SRE_TOKEN\")");
        System.out.println("  send events   POST http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events"
                + "   (gateway token: source \"" + LocalTokens.GATEWAY_ID + "\")");
        System.out.println("  p50/p95/p99   " + query + "/api/v1/latency?server=github&tool=search_code_v2&step=1m");
        System.out.println("  failures      " + query + "/api/v1/failures?server=jira&step=1m");
        System.out.println("  dashboards    " + query + "/ui/index.html#token=" + pipeline.tokens().sre()
                + "   (the token stays in the browser session)");
        System.out.println("  reports       " + query + "/api/v1/reports");
        System.out.println("  SLOs          " + query + "/api/v1/slos   (defined in "
                + pipeline.settings().string("SLO_DIR", "slos") + "/)");
        System.out.println("  alerts        " + query + "/api/v1/alerts?state=active");
        System.out.println("  audit         " + query + "/api/v1/audit   " + query + "/api/v1/audit/verify   (auditor token)");
        System.out.println("  pages         " + pipeline.receiver().url() + "/pages   (the local test receiver; also "
                + pipeline.receiver().log() + ")");
        System.out.println("  metrics       http://127.0.0.1:" + pipeline.collectorPort() + "/metrics  "
                + "http://127.0.0.1:" + pipeline.processorMetricsPort() + "/metrics  " + query + "/metrics");
        System.out.println("  Kafka         " + pipeline.settings().string("KAFKA_BOOTSTRAP_SERVERS", "?"));
        System.out.println("  data          " + Path.of(pipeline.settings().string("MCP_SLO_DATA_DIR", ".data"))
                .toAbsolutePath() + "   (kept across restarts; `./mcp-slo reset` empties it)");
        System.out.println("  ClickHouse    " + pipeline.settings().string("CLICKHOUSE_URL", "http://127.0.0.1:18123"));
        System.out.println("Ctrl-C stops everything.");
        System.out.println();
    }
}

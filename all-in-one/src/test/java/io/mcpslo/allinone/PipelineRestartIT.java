package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.schemas.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `./mcp-slo up`, Ctrl-C, `./mcp-slo up` again on the same data dir, through the real parts: the embedded broker's
 * log and the stream state must carry every acknowledged event, every event id already counted, and every alert
 * already firing across the restart.
 */
class PipelineRestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SERVER = "restart";
    private static final int BEFORE = 300;
    private static final int AFTER = 200;
    private static final int RESENT = 60;

    private static ClickHouseClient clickHouse;
    private static HttpServer receiver;
    private static final List<JsonNode> pages = new CopyOnWriteArrayList<>();
    private static Settings settings;
    private static final List<Path> dataDirs = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        clickHouse = ClickHouseTestSupport.freshDatabase("restart");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            pages.add(EventCodec.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        settings = Settings.fromEnvironment().with(Map.ofEntries(
                Map.entry("CLICKHOUSE_DATABASE", clickHouse.database()),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", ""), Map.entry("KAFKA_EMBEDDED_PORT", "0"),
                Map.entry("COLLECTOR_PORT", "0"), Map.entry("QUERY_API_PORT", "0"),
                Map.entry("PROCESSOR_METRICS_PORT", "0"), Map.entry("LOCAL_RECEIVER_PORT", "0"),
                Map.entry("PROCESSOR_APPLICATION_ID", "restart-" + UUID.randomUUID()),
                Map.entry("SINK_FLUSH_INTERVAL", "200ms"), Map.entry("NOTIFY_MAX_RETRY_BACKOFF", "1s"),
                Map.entry("SLO_DIR", sloFolder().toString()),
                Map.entry("MCP_SLO_DATA_DIR", dataDir("mcp-slo-restart").toString())));
    }

    @AfterAll
    static void stop() throws IOException {
        if (receiver != null) {
            receiver.stop(0);
        }
        ClickHouseTestSupport.drop(clickHouse);
        for (Path dataDir : dataDirs) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** A data dir like `.data`, holding a broker log each: removed after the tests. */
    private static Path dataDir(String prefix) throws IOException {
        Path dataDir = Files.createTempDirectory(prefix);
        dataDirs.add(dataDir);
        return dataDir;
    }

    private static Path sloFolder() throws Exception {
        Path folder = Files.createTempDirectory("mcp-slo-slos");
        Files.writeString(folder.resolve("github.yaml"), """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: github-transport
                team: devtools
                scope: {server: github}
                sli: {availability: {failures: transport}}
                objective: 0.99
                window: 1h
                alerting:
                  budget_exhausted: false
                  rules:
                    - {severity: page, long_window: 10m, short_window: 1m, burn_rate: 10}
                ---
                apiVersion: mcp-slo/v1
                kind: Receiver
                name: test-hook
                type: webhook
                url: http://127.0.0.1:%d/pages
                """.formatted(receiver.getAddress().getPort()));
        return folder;
    }

    private static List<ObjectNode> calls(int count) {
        return TestGateway.calls(SERVER, count);
    }

    private static void postRepeatedly(Pipeline pipeline, String server, String outcome, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                batch.add(TestGateway.call(server, outcome));
            }
            TestGateway.post(pipeline, batch);
            Thread.sleep(200);
        }
    }

    private static long scalar(String sql) {
        return clickHouse.query("SELECT (" + sql + ") AS v").get(0).get("v").asLong();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; pages so far: " + pages);
            }
            Thread.sleep(250);
        }
    }

    private static long pagesTo(String state) {
        return pages.stream().filter(page -> page.get("to").asText().equals(state)).count();
    }

    private static long processorMetric(Pipeline pipeline, String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + pipeline.processorMetricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(name + " "))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyAcknowledgedEventIsStoredAndCountedOnceAndAFiringAlertStaysOneIncidentAcrossARestart() throws Exception {
        List<ObjectNode> before = calls(BEFORE);
        try (Pipeline pipeline = Pipeline.start(settings)) {
            TestGateway.post(pipeline, before);
            TestGateway.post(pipeline, before.subList(0, RESENT));
            postRepeatedly(pipeline, "github", "ok", 40);
            long outageStart = System.nanoTime();
            while (pagesTo("firing") == 0) {
                postRepeatedly(pipeline, "github", "transport_error", 1);
                if (System.nanoTime() - outageStart > Duration.ofSeconds(90).toNanos()) {
                    throw new AssertionError("no page 90 s into a full outage");
                }
            }
        }

        long restartStart = System.nanoTime();
        try (Pipeline pipeline = Pipeline.start(settings)) {
            System.out.printf("restart on the same data dir took %d ms%n", (System.nanoTime() - restartStart) / 1_000_000);
            TestGateway.post(pipeline, calls(AFTER));
            TestGateway.post(pipeline, before.subList(BEFORE - RESENT, BEFORE));
            postRepeatedly(pipeline, "github", "transport_error", 25);

            long expected = BEFORE + AFTER;
            await("every acknowledged call stored", Duration.ofSeconds(90),
                    () -> scalar("SELECT count() FROM calls FINAL WHERE server = '" + SERVER + "'") >= expected);
            await("every acknowledged call rolled up", Duration.ofSeconds(90),
                    () -> scalar("SELECT sum(calls) FROM call_rollups_1m FINAL WHERE server = '" + SERVER + "'") >= expected);
            await("the resends after the restart recognised as already counted", Duration.ofSeconds(60),
                    () -> processorMetric(pipeline, "mcp_processor_calls_duplicate_total") >= RESENT);
            assertEquals(expected, scalar("SELECT count() FROM calls FINAL WHERE server = '" + SERVER + "'"));
            assertEquals(expected, scalar("SELECT sum(calls) FROM call_rollups_1m FINAL WHERE server = '" + SERVER + "'"),
                    "rollups count every call once, also the ones resent across the restart");

            List<ObjectNode> recovery = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                recovery.add(TestGateway.call("github", "ok"));
            }
            TestGateway.post(pipeline, recovery);
            await("the resolve", Duration.ofSeconds(90), () -> pagesTo("resolved") >= 1);
            assertEquals(1, pagesTo("firing"), "the alert firing before the restart is the same incident: " + pages);
            assertEquals(pages.get(0).get("dedup_key").asText(), pages.get(1).get("dedup_key").asText());
        }
    }

    @Test
    void theIdsCountedBeforeTheStreamStateWasLostAreRestoredFromTheChangelog() throws Exception {
        String server = "state-lost";
        Path dataDir = dataDir("mcp-slo-state-lost");
        Settings lost = settings.with(Map.of("MCP_SLO_DATA_DIR", dataDir.toString(),
                "PROCESSOR_APPLICATION_ID", "lost-" + UUID.randomUUID()));
        List<ObjectNode> acknowledged = TestGateway.calls(server, BEFORE);
        String where = " WHERE server = '" + server + "'";
        try (Pipeline pipeline = Pipeline.start(lost)) {
            TestGateway.post(pipeline, acknowledged);
            await("every call rolled up before the stream state is lost", Duration.ofSeconds(90),
                    () -> scalar("SELECT sum(calls) FROM call_rollups_1m FINAL" + where) >= BEFORE);
        }
        // a replaced disk or a new machine: the broker's log is kept, the stream state is rebuilt from changelogs
        try (Stream<Path> files = Files.walk(dataDir.resolve("streams"))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }

        try (Pipeline pipeline = Pipeline.start(lost)) {
            TestGateway.post(pipeline, acknowledged.subList(0, RESENT));
            await("the resends recognised as counted before the state was lost", Duration.ofSeconds(60),
                    () -> processorMetric(pipeline, "mcp_processor_calls_duplicate_total") >= RESENT);
            assertEquals(BEFORE, scalar("SELECT sum(calls) FROM call_rollups_1m FINAL" + where),
                    "rollups count every call once, also the ones resent after the state was rebuilt");
        }
    }

    /** `./mcp-slo up` in a JVM of its own, so it can be killed without a shutdown hook running. */
    private static Process startAllInOneProcess(Settings settings, StringBuffer output) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                AllInOne.class.getName(), "--no-simulator").redirectErrorStream(true);
        builder.environment().putAll(settings.values());
        Process process = builder.start();
        CountDownLatch up = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("mcp-slo is up")) {
                        up.countDown();
                    }
                }
            } catch (IOException e) {
                output.append(e).append('\n');
            }
        });
        if (!up.await(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the all-in-one process did not come up within 120 s:\n" + output);
        }
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void everyEventAcknowledgedBeforeAKillIsStoredAndCountedOnceAfterTheNextStart() throws Exception {
        String server = "killed";
        int collectorPort = freePort();
        Settings killable = settings.with(Map.of("MCP_SLO_DATA_DIR", dataDir("mcp-slo-kill").toString(),
                "PROCESSOR_APPLICATION_ID", "kill-" + UUID.randomUUID(), "COLLECTOR_PORT", String.valueOf(collectorPort)));
        List<ObjectNode> acknowledged = TestGateway.calls(server, BEFORE);
        StringBuffer output = new StringBuffer();
        // ClickHouse unreachable for the killed run: whatever is stored afterwards came out of the broker's log
        Process up = startAllInOneProcess(killable.with(Map.of("CLICKHOUSE_URL", "http://127.0.0.1:" + freePort())),
                output);
        try {
            Path dataDir = Path.of(killable.string("MCP_SLO_DATA_DIR", ""));
            LocalTokens tokens = LocalTokens.ensure(dataDir, dataDir.resolve("tokens"));
            TestGateway.post(collectorPort, tokens.gateway(), acknowledged);
        } finally {
            up.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean broker or Streams shutdown
        }

        try (Pipeline pipeline = Pipeline.start(killable.with(Map.of("COLLECTOR_PORT", "0")))) {
            TestGateway.post(pipeline, acknowledged.subList(0, RESENT));
            String where = " WHERE server = '" + server + "'";
            await("every call acknowledged before the kill stored", Duration.ofSeconds(120),
                    () -> scalar("SELECT count() FROM calls FINAL" + where) >= BEFORE);
            await("every call acknowledged before the kill rolled up", Duration.ofSeconds(90),
                    () -> scalar("SELECT sum(calls) FROM call_rollups_1m FINAL" + where) >= BEFORE);
            await("the resends recognised as already counted", Duration.ofSeconds(60),
                    () -> processorMetric(pipeline, "mcp_processor_calls_duplicate_total") >= RESENT);
            assertEquals(BEFORE, scalar("SELECT count() FROM calls FINAL" + where));
            assertEquals(BEFORE, scalar("SELECT sum(calls) FROM call_rollups_1m FINAL" + where),
                    "rollups count every call once, also the ones resent after the kill");
        }
    }
}

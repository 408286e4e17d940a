package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.tools.StoredTotals;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.schemas.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./mcp-slo soak}: the fault matrix over a long run. Gateways post realistic traffic at a set rate (some late
 * events, about 1 % of batches resent as duplicates) while faults come every few minutes in turn: the broker
 * restarted on its own log, ClickHouse taken away for a minute. At the end it compares what ClickHouse
 * holds with what the collector acknowledged: none lost, none counted twice, each incident paged and resolved once.
 * Everything runs in a database and a data folder of its own, dropped afterwards unless {@code --keep}.
 */
public final class Soak {

    private static final int GATEWAYS = 4;
    private static final int BATCH = 1_000;
    private static final int SERVERS = 50;
    private static final int TOOLS_PER_SERVER = 20;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration DRAIN_STALL_LIMIT = Duration.ofMinutes(5);

    record Options(Duration length, int rate, Duration faultEvery, boolean keep) {

        static Options parse(String[] args) {
            Duration length = Duration.ofMinutes(30);
            int rate = 20_000;
            Duration faultEvery = Duration.ofMinutes(3);
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--minutes" -> length = Duration.ofSeconds(Math.round(positive(option, value(args, ++i)) * 60));
                    case "--rate" -> rate = (int) positive(option, value(args, ++i));
                    case "--fault-every" -> faultEvery = Duration.ofSeconds(Math.round(positive(option, value(args, ++i)) * 60));
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + "; usage: mcp-slo soak [--minutes N] [--rate EVENTS_PER_S] [--fault-every MINUTES] [--keep]");
                }
            }
            return new Options(length, rate, faultEvery, keep);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static double positive(String option, String text) {
            try {
                double value = Double.parseDouble(text);
                if (value > 0 && Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a positive number, was '" + text + "'");
        }
    }

    /** The final comparison; {@link #passed()} when nothing was lost or counted twice and no incident paged twice. */
    record Verdict(long acknowledged, long storedDistinct, long storedRows, long rolledUp, long incidents,
                   long incidentsFiredTwice, long incidentsDeliveredTwice) {

        long lost() {
            return acknowledged - storedDistinct;
        }

        boolean passed() {
            return lost() == 0 && storedRows == storedDistinct && rolledUp == acknowledged && incidentsFiredTwice == 0
                    && incidentsDeliveredTwice == 0;
        }
    }

    private final Options options;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong duplicatesSent = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean stopping;
    private volatile String fault = "none";
    private volatile EmbeddedKafkaBroker broker;

    private Soak(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        // the pipeline's own log (a line per retry while ClickHouse is away) goes to a file, the verdict to the terminal
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            Path log = Files.createTempFile("mcp-slo-soak-", ".log");
            System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
            System.out.println("soak: the pipeline's log is in " + log);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mcp-slo soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new Soak(options).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        Settings base = Settings.fromEnvironment();
        String database = "soak_" + System.currentTimeMillis();
        Path dataDir = Files.createTempDirectory("mcp-slo-soak-");
        ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(base.with(Map.of(
                "CLICKHOUSE_DATABASE", database))));
        int brokerPort = freePort();
        System.out.printf("soak: %s at %,d events/s offered (%d gateways, batches of %,d, %d servers × %d tools), "
                        + "a fault every %s; data in %s, database %s%n", options.length(), options.rate(), GATEWAYS,
                BATCH, SERVERS, TOOLS_PER_SERVER, options.faultEvery(), dataDir, database);
        broker = EmbeddedKafkaBroker.startPersistent(dataDir.resolve("kafka"), brokerPort);
        try (CuttableTcpProxy clickHouseLink = CuttableTcpProxy.start(clickHouse.config().url().getPort());
             Pipeline pipeline = Pipeline.start(base.with(Map.ofEntries(
                     Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
                     Map.entry("KAFKA_REPLICATION_FACTOR", "1"),
                     Map.entry("CLICKHOUSE_URL", "http://127.0.0.1:" + clickHouseLink.port()),
                     Map.entry("CLICKHOUSE_DATABASE", database),
                     Map.entry("COLLECTOR_PORT", "0"), Map.entry("QUERY_API_PORT", "0"),
                     Map.entry("PROCESSOR_METRICS_PORT", "0"), Map.entry("LOCAL_RECEIVER_PORT", "0"),
                     Map.entry("PROCESSOR_APPLICATION_ID", "soak-" + UUID.randomUUID()),
                     Map.entry("COLLECTOR_KAFKA_TIMEOUT", "3s"),
                     Map.entry("MCP_SLO_DATA_DIR", dataDir.toString()))))) {
            List<Thread> gateways = new ArrayList<>();
            for (int i = 0; i < GATEWAYS; i++) {
                gateways.add(Thread.ofPlatform().name("soak-gateway-" + i).start(() -> gateway(pipeline)));
            }
            Instant start = Instant.now();
            Instant end = start.plus(options.length());
            Thread faults = Thread.ofPlatform().name("soak-faults").start(() -> injectFaults(end, brokerPort, dataDir,
                    clickHouseLink));
            long acknowledgedAtLastProgress = 0;
            long lastProgressNanos = System.nanoTime();
            while (Instant.now().isBefore(end)) {
                Thread.sleep(Math.min(PROGRESS_EVERY.toMillis(), Math.max(1, Duration.between(Instant.now(), end)
                        .toMillis())));
                long now = acknowledged.get();
                double seconds = (System.nanoTime() - lastProgressNanos) / 1e9;
                System.out.printf("  %s of %s  acknowledged %,d (%,.0f/s)  refused/resent %,d  duplicates sent %,d"
                                + "  rows in ClickHouse %,d  fault: %s%n",
                        minutes(Duration.between(start, Instant.now())), minutes(options.length()), now,
                        (now - acknowledgedAtLastProgress) / seconds, refusals.get(), duplicatesSent.get(),
                        rowsQuietly(clickHouse), fault);
                acknowledgedAtLastProgress = now;
                lastProgressNanos = System.nanoTime();
            }
            stopping = true;
            faults.join(); // a fault under way ends first: the broker is back and ClickHouse reachable
            for (Thread gateway : gateways) {
                gateway.join();
            }
            double offered = acknowledged.get() / (double) Duration.between(start, Instant.now()).toSeconds();
            System.out.printf("traffic stopped: %,d calls acknowledged (%,.0f/s on average); waiting for storage%n",
                    acknowledged.get(), offered);
            Verdict verdict = drain(clickHouse);
            print(verdict);
            return verdict.passed();
        } finally {
            broker.close();
            if (!options.keep()) {
                clickHouse.execute("DROP DATABASE IF EXISTS " + database);
                deleteRecursively(dataDir);
            }
        }
    }

    /** One gateway: fresh batches at its share of the rate, each resent unchanged until acknowledged. */
    private void gateway(Pipeline pipeline) {
        URI collector = URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events");
        String token = pipeline.tokens().gateway();
        double batchesPerSecond = options.rate() / (double) BATCH / GATEWAYS;
        long intervalNanos = (long) (1e9 / batchesPerSecond);
        long due = System.nanoTime();
        byte[] previous = null;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stopping) {
            byte[] batch = random.nextInt(100) == 0 && previous != null ? previous : batch(random);
            boolean duplicate = batch == previous;
            while (!send(collector, token, batch)) {
                refusals.incrementAndGet();
                sleep(Duration.ofMillis(200));
            }
            if (duplicate) {
                duplicatesSent.addAndGet(BATCH);
            } else {
                acknowledged.addAndGet(BATCH);
            }
            previous = batch;
            due += intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleep(Duration.ofNanos(wait));
            } else if (wait < -1_000_000_000L) {
                due = System.nanoTime(); // behind by more than a second: do not burst to catch up
            }
        }
    }

    private static byte[] batch(ThreadLocalRandom random) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(BATCH * 260);
        Instant now = Instant.now();
        for (int i = 0; i < BATCH; i++) {
            ObjectNode event = EventCodec.MAPPER.createObjectNode();
            int server = random.nextInt(SERVERS);
            event.put("event_id", UUID.randomUUID().toString());
            event.put("kind", "call");
            // one in twenty arrives up to ten minutes late
            event.put("ts", (random.nextInt(20) == 0 ? now.minusMillis(random.nextLong(600_000)) : now).toString());
            event.put("source", LocalTokens.GATEWAY_ID);
            event.put("server", serverName(server));
            event.put("server_version", "1.0");
            event.put("tool", "tool_" + server + "_" + random.nextInt(TOOLS_PER_SERVER));
            event.put("method", "tools/call");
            event.put("duration_ms", Math.round(Math.exp(4 + random.nextGaussian()) * 10) / 10.0);
            int roll = random.nextInt(1000);
            event.put("outcome", roll < 5 ? "transport_error" : roll < 15 ? "tool_error" : "ok");
            try {
                body.write(EventCodec.MAPPER.writeValueAsBytes(event));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            body.write('\n');
        }
        return body.toByteArray();
    }

    /** The example SLOs' servers come first, so their SLOs are evaluated (and may page) during the soak. */
    private static String serverName(int index) {
        return switch (index) {
            case 0 -> "github";
            case 1 -> "jira";
            case 2 -> "filesystem";
            default -> "soak-" + index;
        };
    }

    private boolean send(URI collector, String token, byte[] batch) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(collector)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-ndjson")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return true;
            }
            if (response.statusCode() != 503 && response.statusCode() != 429) {
                throw new IllegalStateException("the collector refused a batch for good (" + response.statusCode()
                        + "): " + response.body());
            }
            return false;
        } catch (IOException unanswered) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Faults in turn until the end of the run: the broker restarted, ClickHouse away for a minute. */
    private void injectFaults(Instant end, int brokerPort, Path dataDir, CuttableTcpProxy clickHouseLink) {
        int number = 0;
        while (true) {
            Instant due = Instant.now().plus(options.faultEvery());
            while (Instant.now().isBefore(due)) {
                if (stopping || !due.isBefore(end)) {
                    return;
                }
                sleep(Duration.ofMillis(250));
            }
            try {
                if (number++ % 2 == 0) {
                    fault = "broker restarting";
                    System.out.println("fault: the broker stops for 15 s and starts again on the same log");
                    broker.close();
                    sleep(Duration.ofSeconds(15));
                    broker = EmbeddedKafkaBroker.startPersistent(dataDir.resolve("kafka"), brokerPort);
                } else {
                    fault = "ClickHouse unreachable";
                    System.out.println("fault: ClickHouse unreachable for 60 s");
                    clickHouseLink.cut();
                    try {
                        sleep(Duration.ofSeconds(60));
                    } finally {
                        clickHouseLink.restore();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fault = "none";
            System.out.println("fault over");
        }
    }

    /** Waits until storage holds every acknowledged call, or stops growing for {@link #DRAIN_STALL_LIMIT}. */
    private Verdict drain(ClickHouseClient clickHouse) throws InterruptedException {
        long expected = acknowledged.get();
        Instant lastGrowth = Instant.now();
        Verdict verdict = verdict(clickHouse, expected);
        long seen = -1;
        while (!verdict.passed() && Duration.between(lastGrowth, Instant.now()).compareTo(DRAIN_STALL_LIMIT) < 0) {
            Thread.sleep(5_000);
            verdict = verdict(clickHouse, expected);
            long progress = verdict.storedRows() + verdict.rolledUp();
            if (progress != seen) {
                seen = progress;
                lastGrowth = Instant.now();
                System.out.printf("  … %,d of %,d calls stored, %,d rolled up%n", verdict.storedDistinct(), expected,
                        verdict.rolledUp());
            }
        }
        return verdict;
    }

    private static Verdict verdict(ClickHouseClient clickHouse, long acknowledged) {
        StoredTotals.SoakCounts counts = new StoredTotals(clickHouse).soakCounts();
        return new Verdict(acknowledged, counts.distinctCalls(), counts.callRows(), counts.rolledUpCalls(),
                counts.incidents(), counts.incidentsMovedTwice(), counts.deliveredTwice());
    }

    private void print(Verdict verdict) {
        System.out.println();
        System.out.printf("%-44s %,14d%n", "calls acknowledged by the collector", verdict.acknowledged());
        System.out.printf("%-44s %,14d%n", "duplicate calls resent (same ids)", duplicatesSent.get());
        System.out.printf("%-44s %,14d%n", "distinct calls stored", verdict.storedDistinct());
        System.out.printf("%-44s %,14d%n", "acknowledged calls lost", verdict.lost());
        System.out.printf("%-44s %,14d%n", "calls stored twice", verdict.storedRows() - verdict.storedDistinct());
        System.out.printf("%-44s %,14d%n", "calls counted in the rollups", verdict.rolledUp());
        System.out.printf("%-44s %,14d%n", "incidents", verdict.incidents());
        System.out.printf("%-44s %,14d%n", "incidents fired or resolved twice", verdict.incidentsFiredTwice());
        System.out.printf("%-44s %,14d%n", "notifications delivered twice", verdict.incidentsDeliveredTwice());
        System.out.println(verdict.passed() ? "PASS: nothing lost, nothing counted twice, each incident once"
                : "FAIL: see the figures above");
    }

    private static long rowsQuietly(ClickHouseClient clickHouse) {
        try {
            return new StoredTotals(clickHouse).callRows();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String minutes(Duration duration) {
        return "%d:%02d".formatted(duration.toMinutes(), duration.toSecondsPart());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventValidator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BenchmarkTest {

    @Test
    void optionsKeepTheOldPositionalEventCountAndReadTheNewFlags() {
        Benchmark.Options legacy = Benchmark.Options.parse(new String[] {"200000"});
        assertEquals(200_000, legacy.events());
        assertEquals(20_000, legacy.warmupEvents(), "a tenth warms up by default");
        Benchmark.Options options = Benchmark.Options.parse(new String[] {"--events", "3_000_000", "--warmup", "0",
            "--freshness-rate", "0", "--freshness-seconds", "10", "--json", "out.json"});
        assertEquals(3_000_000, options.events());
        assertEquals(0, options.warmupEvents());
        assertEquals(0, options.freshnessRate());
        assertEquals(Duration.ofSeconds(10), options.freshnessLength());
        assertEquals(Path.of("out.json"), options.json());
        assertNull(Benchmark.Options.parse(new String[0]).json());
    }

    @Test
    void aBodyPostedFromOffTheHeapArrivesWholeEveryTimeItIsSent() throws Exception {
        byte[] content = new byte[300_000];
        new java.util.Random(3).nextBytes(content);
        ByteBuffer body = ByteBuffer.allocateDirect(content.length).put(content).flip().asReadOnlyBuffer();
        List<byte[]> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            // a publisher that never completes would hang the send: fail instead
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .POST(Benchmark.bodyOf(body)).build();
            for (int send = 0; send < 3; send++) { // the same request, sent again as after a 503
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                assertEquals(200, response.statusCode());
            }
        } finally {
            server.stop(0);
        }
        assertEquals(3, received.size());
        for (byte[] bytes : received) {
            assertTrue(Arrays.equals(content, bytes), "received " + bytes.length + " bytes of " + content.length);
        }
        assertEquals(content.length, body.remaining(), "the traffic's own buffer is left as it was");
        assertEquals(0, Benchmark.bodyOf(ByteBuffer.allocate(0)).contentLength(), "an empty body is sent as none");
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Benchmark.Options.parse(new String[] {"-5"}))
                .getMessage().contains("unknown option -5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Benchmark.Options.parse(new String[] {"lots"}))
                .getMessage().contains("EVENTS must be a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Benchmark.Options.parse(new String[] {"--events", "0"})).getMessage().contains("--events"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Benchmark.Options.parse(new String[] {"--json"})).getMessage().contains("--json needs a value"));
    }

    @Test
    void theCardinalityBurstIsOneValidCallForEachOfTenThousandNewToolsOfOneServer() throws Exception {
        List<byte[]> batches = Benchmark.wideTraffic(Benchmark.WIDE_TOOLS);
        EventValidator validator = new EventValidator(Clock.systemUTC());
        Set<String> tools = new HashSet<>();
        Set<String> servers = new HashSet<>();
        for (byte[] batch : batches) {
            String[] lines = new String(batch, StandardCharsets.UTF_8).split("\n");
            assertTrue(lines.length <= 2_000, "a batch the collector takes: " + lines.length);
            for (String line : lines) {
                JsonNode event = EventCodec.MAPPER.readTree(line);
                assertTrue(validator.validate(event) instanceof io.mcpslo.schemas.ValidationOutcome.Accepted,
                        () -> "the collector would refuse " + line);
                tools.add(event.get("tool").asText());
                servers.add(event.get("server").asText());
            }
        }
        assertEquals(10_000, tools.size(), "10,000 distinct tools");
        assertEquals(Set.of("bench-wide"), servers, "one server, outside every SLO and the main traffic");
    }

    @Test
    void trafficIsValidRealisticAndResendsAboutOneBatchInAHundredWithTheSameIds() throws Exception {
        Benchmark.Traffic traffic = Benchmark.Traffic.generate(400_000, 7);
        EventValidator validator = new EventValidator(Clock.systemUTC());
        Set<String> ids = new HashSet<>();
        Set<String> tools = new HashSet<>();
        long sent = 0;
        int late = 0;
        for (byte[] batch : traffic.batches()) {
            for (String line : new String(batch, StandardCharsets.UTF_8).split("\n")) {
                JsonNode event = EventCodec.MAPPER.readTree(line);
                if (sent++ % 97 == 0) {
                    assertTrue(validator.validate(event) instanceof io.mcpslo.schemas.ValidationOutcome.Accepted,
                            () -> "the collector would refuse " + line);
                    try (var parser = EventCodec.MAPPER.createParser(line)) {
                        parser.nextToken();
                        assertNotNull(validator.readCertainlyValidCall(parser),
                                () -> "the collector would read this by its slow path, not the one measured: " + line);
                    }
                }
                ids.add(event.get("event_id").asText());
                tools.add(event.get("server").asText() + "|" + event.get("tool").asText());
                if (java.time.Instant.parse(event.get("ts").asText()).isBefore(java.time.Instant.now().minusSeconds(60))) {
                    late++;
                }
            }
        }
        assertEquals(400_000, ids.size(), "every event has its own id");
        assertEquals(traffic.distinctEvents(), ids.size());
        long resentBatches = (sent - ids.size()) / 2_000;
        int batches = traffic.batches().size();
        assertTrue(resentBatches >= 1 && resentBatches <= batches * 3 / 100,
                "about 1 % of batches resent: " + resentBatches + " of " + batches);
        assertEquals(1_000, tools.size(), "1,000 tools over 50 servers");
        assertTrue(late > 4_000 && late < 12_000, "about one in fifty late: " + late);
    }

    @Test
    void everyBenchServerHasAnSloAndTheCardinalityServerNone() throws Exception {
        var file = new io.mcpslo.sloconfig.SloFileParser(name -> null).parse("bench-servers.yaml", Benchmark.benchSlos());
        assertTrue(file.accepted(), file.toString());
        assertEquals(50, file.slos().size());
        for (int server = 0; server < 50; server++) {
            var key = new io.mcpslo.engine.rollup.RollupKey("bench-" + server, "tool_" + server + "_0", "",
                    java.time.Instant.EPOCH);
            assertEquals(1, file.slos().stream().filter(slo -> slo.scope().matches(key)).count(), key.server());
        }
        assertTrue(file.slos().stream().noneMatch(slo -> slo.scope().matches(new io.mcpslo.engine.rollup.RollupKey(
                "bench-wide", "tool_1", "", java.time.Instant.EPOCH))), "the cardinality burst's server stays unrelated");
        Path directory = Benchmark.sloDirectory(Path.of("..", "slos"));
        assertTrue(java.nio.file.Files.exists(directory.resolve("receivers.yaml")), "the examples come along");
    }

    @Test
    void threadsAreGroupedByWhatTheyDo() {
        assertEquals("streams", Benchmark.threadGroup("mcp-slo-stream-processor-5d1c-StreamThread-1"));
        assertEquals("kafka producers", Benchmark.threadGroup("kafka-producer-network-thread | mcp-slo-collector"));
        assertEquals("kafka broker", Benchmark.threadGroup("data-plane-kafka-request-handler-3"));
        assertEquals("http servers (jetty)", Benchmark.threadGroup("qtp1234-56"));
        assertEquals("worker-#", Benchmark.threadGroup("worker-12"));
    }
}

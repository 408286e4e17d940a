package io.mcpslo.emitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.ArgsHash;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class McpSloEmitterTest {

    private static final String TOKEN = "gw-token-1";
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final FakeCollector collector;

    McpSloEmitterTest() throws Exception {
        collector = new FakeCollector();
    }

    @AfterEach
    void stopCollector() {
        collector.close();
    }

    private EmitterSettings settings(int queueCapacity, int batchSize, Duration flushInterval, int maxAttempts) {
        return new EmitterSettings(collector.uri(), TOKEN, "gw-test", queueCapacity, batchSize, flushInterval,
                maxAttempts, Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private McpSloEmitter emitter(EmitterSettings settings) {
        return McpSloEmitter.builder(settings).meterRegistry(registry).mutatingTools(Set.of("create_issue")).build();
    }

    private double dropped(String reason) {
        var counter = registry.find(EventBatcher.DROPPED).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double sent() {
        return registry.get("mcp.emitter.events.sent").counter().count();
    }

    private static void breakGlass(McpSloEmitter emitter, int times) {
        for (int i = 0; i < times; i++) {
            emitter.breakGlass("oncall-" + i, "tool.kill", "jira", "create_issue", "INC-" + i);
        }
    }

    @Test
    void callsThroughAnObservedTransportReachTheCollectorInBatchesWithTheGatewayToken() {
        var upstream = new InMemoryTransport();
        try (McpSloEmitter emitter = emitter(settings(100, 4, Duration.ofMillis(50), 3))) {
            McpClientTransport transport = emitter.observe(upstream, Upstream.server("jira").forUser("bob", "tracker"));
            transport.connect(message -> message).block();
            for (int i = 0; i < 5; i++) {
                transport.sendMessage(new McpSchema.JSONRPCRequest("tools/call", i,
                        new McpSchema.CallToolRequest("create_issue", Map.of("n", i)))).block();
                upstream.result(i, Map.of("content", List.of(), "isError", i == 4));
            }
        }
        List<JsonNode> events = collector.events();
        assertEquals(10, events.size(), "5 calls and 5 audit acts: " + events);
        assertTrue(collector.batches.stream().allMatch(batch -> batch.size() <= 4), "batches of 4 at most");
        assertTrue(collector.authorizations.stream().allMatch(("Bearer " + TOKEN)::equals));
        var hashes = events.stream().filter(e -> e.get("kind").asText().equals("audit"))
                .map(e -> e.get("args_hash").asText()).sorted().toList();
        assertEquals(java.util.stream.IntStream.range(0, 5).mapToObj(i -> ArgsHash.of("{\"n\":" + i + "}")).sorted()
                .toList(), hashes);
        assertEquals(1, events.stream().filter(e -> e.path("outcome").asText().equals("tool_error")
                && e.get("kind").asText().equals("call")).count());
        assertEquals(10, sent());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang here means the request path waited on the collector
    void theRequestPathNeverWaitsForASlowCollectorAndWhatDoesNotFitIsDroppedAndCounted() throws Exception {
        collector.holdAnswers = new CountDownLatch(1);
        try (McpSloEmitter emitter = emitter(settings(5, 2, Duration.ofMillis(1), 3))) {
            breakGlass(emitter, 1_000); // all of this while the collector holds its first answer
            assertTrue(dropped("queue_full") >= 1_000 - 5 - 2, "dropped: " + dropped("queue_full"));
            collector.holdAnswers.countDown();
        }
        assertEquals(1_000, sent() + dropped("queue_full"), "each act is either sent or counted as dropped");
        assertEquals((long) sent(), collector.events().size());
    }

    @Test
    void whileTheCollectorIsDownBatchesAreTriedThenDroppedAndCounted() {
        collector.status.set(503);
        try (McpSloEmitter emitter = emitter(settings(100, 10, Duration.ofMillis(5), 3))) {
            breakGlass(emitter, 25);
        }
        assertEquals(25, dropped("pipeline_down") + dropped("closed"));
        assertEquals(0, collector.events().size());
        assertTrue(collector.requests.get() >= 3, "a batch is tried maxAttempts times before it is dropped");
    }

    @Test
    void anUnreachableCollectorIsCountedAsDownNotThrown() {
        var unreachable = new EmitterSettings(URI.create("http://127.0.0.1:1"), TOKEN, "gw-test", 100, 10,
                Duration.ofMillis(5), 2, Duration.ofMillis(1), Duration.ofSeconds(2), Duration.ofSeconds(10));
        try (McpSloEmitter emitter = emitter(unreachable)) {
            breakGlass(emitter, 3);
        }
        assertEquals(3, dropped("pipeline_down"));
    }

    @Test
    void aBatchTheCollectorRefusesForGoodIsNotRetried() {
        collector.status.set(401);
        try (McpSloEmitter emitter = emitter(settings(100, 10, Duration.ofMillis(5), 5))) {
            breakGlass(emitter, 3);
        }
        assertEquals(3, dropped("refused"));
        assertEquals(1, collector.requests.get());
    }

    @Test
    void eventsTheCollectorRefusesAsInvalidAreCountedAsRejectedAndTheRestAsSent() {
        collector.status.set(422);
        collector.errorBody = "{\"accepted\":2,\"rejected\":1,\"errors\":[{\"index\":2,\"field\":\"server\"}]}";
        try (McpSloEmitter emitter = emitter(settings(100, 10, Duration.ofHours(1), 3))) {
            breakGlass(emitter, 3);
        }
        assertEquals(2, sent());
        assertEquals(1, registry.get("mcp.emitter.events.rejected").counter().count());
        assertEquals(1, collector.requests.get(), "a 422 is an answer, not a reason to resend");
    }

    @Test
    void aCollectorBehindAPathPrefixKeepsItsPrefix() {
        assertEquals(URI.create("http://proxy:8080/mcp-slo/v1/events"), EmitterSettings.defaults(
                URI.create("http://proxy:8080/mcp-slo"), TOKEN, "gw").eventsUri());
        assertEquals(URI.create("http://proxy:8080/mcp-slo/v1/events"), EmitterSettings.defaults(
                URI.create("http://proxy:8080/mcp-slo/"), TOKEN, "gw").eventsUri());
        assertEquals(URI.create("http://127.0.0.1:8070/v1/events"), EmitterSettings.defaults(
                URI.create("http://127.0.0.1:8070"), TOKEN, "gw").eventsUri());
    }

    @Test
    void closeFlushesWhatIsQueuedWithoutWaitingForTheFlushInterval() {
        try (McpSloEmitter emitter = emitter(settings(100, 1_000, Duration.ofHours(1), 3))) {
            breakGlass(emitter, 7);
        }
        assertEquals(7, collector.events().size());
        assertEquals(1, collector.batches.size(), "one batch: " + collector.batches);
    }

    @Test
    void aBreakGlassActNeedsItsReasonAndAKnownAction() {
        try (McpSloEmitter emitter = emitter(settings(10, 10, Duration.ofMillis(5), 1))) {
            var noReason = assertThrows(IllegalArgumentException.class,
                    () -> emitter.breakGlass("alice", "server.disable", "jira", null, " "));
            assertTrue(noReason.getMessage().startsWith("reason:"), noReason.getMessage());
            var unknown = assertThrows(IllegalArgumentException.class,
                    () -> emitter.breakGlass("alice", "server.delete", "jira", null, "INC-1"));
            assertTrue(unknown.getMessage().startsWith("action:"), unknown.getMessage());
        }
    }

    @Test
    void badSettingsNameTheirField() {
        var zero = assertThrows(IllegalArgumentException.class, () -> settings(0, 10, Duration.ofSeconds(1), 1));
        assertTrue(zero.getMessage().startsWith("queueCapacity:"), zero.getMessage());
        var ftp = assertThrows(IllegalArgumentException.class,
                () -> EmitterSettings.defaults(URI.create("ftp://x"), TOKEN, "gw"));
        assertTrue(ftp.getMessage().startsWith("collector:"), ftp.getMessage());
        var noSource = assertThrows(IllegalArgumentException.class,
                () -> EmitterSettings.defaults(collector.uri(), TOKEN, ""));
        assertTrue(noSource.getMessage().startsWith("source:"), noSource.getMessage());
    }
}

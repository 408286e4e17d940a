package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.emitter.EmitterSettings;
import io.mcpslo.emitter.McpSloEmitter;
import io.mcpslo.emitter.Upstream;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.schemas.ArgsHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients no one here wrote: the official MCP Java SDK's client talks over stdio to the reference MCP server
 * ({@code @modelcontextprotocol/server-everything}, from npm, run by Node) through {@link McpSloEmitter}; the whole
 * pipeline (embedded Kafka, Kafka Streams, ClickHouse, query API) then shows exactly the calls made, each on the side
 * of the budget our locus rules put it, their p95, and the audited tool's argument hashes.
 */
class McpSdkThroughEmitterIT {

    /** The reference server's version `./mcp-slo test` installs (into .tools/node). */
    static final String SERVER_EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31";
    private static final String SERVER = "everything";
    private static final int ECHOES = 12;
    private static final int BAD_SUMS = 5;
    private static final int UNKNOWN_TOOL_CALLS = 4;
    private static final int UNKNOWN_RESOURCES = 3;
    private static final Instant FROM = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    private static ClickHouseClient clickHouse;
    private static Pipeline pipeline;
    private static TestPipeline running;

    @BeforeAll
    static void start() throws Exception {
        serverEverything(); // fail before starting anything when the server is not installed
        running = TestPipeline.start("mcp_sdk_e2e");
        clickHouse = running.clickHouse();
        pipeline = running.pipeline();
    }

    @AfterAll
    static void stop() {
        TestPipeline.stop(running);
    }

    /** The server's entry point: MCP_SERVER_EVERYTHING, else where `./mcp-slo test` installs it. */
    static Path serverEverything() {
        String configured = System.getenv("MCP_SERVER_EVERYTHING");
        Path root = Path.of(System.getenv().getOrDefault("MCP_SLO_REPO_ROOT", ".."));
        Path script = configured != null ? Path.of(configured) : root.resolve(
                ".tools/node/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        if (!Files.isRegularFile(script)) {
            throw new AssertionError("the reference MCP server is not installed at " + script.toAbsolutePath()
                    + ": run ./mcp-slo test (it installs it), or: npm install --prefix .tools/node "
                    + SERVER_EVERYTHING + " (Node.js 18+; Debian: apt-get install nodejs npm)");
        }
        return script;
    }

    /** What the client saw, call by call. */
    private record Made(Set<String> echoHashes, long clientNanos) {
    }

    private static Made callThroughTheEmitter(McpSloEmitter emitter) {
        var transport = new StdioClientTransport(ServerParameters.builder("node")
                .args(serverEverything().toString(), "stdio").build(), new JacksonMcpJsonMapper(new ObjectMapper()));
        // the SDK's default validator wants json-schema-validator 2.x, which the collector's 1.5 shadows here; none
        // of the tools called declares an output schema, so there is nothing for it to check
        JsonSchemaValidator noOutputSchemas = (schema, content) ->
                JsonSchemaValidator.ValidationResponse.asValid(null);
        Set<String> echoHashes = new HashSet<>();
        long clientNanos = 0;
        try (McpSyncClient client = McpClient.sync(emitter.observe(transport,
                        Upstream.server(SERVER).forUser("it-user", "devtools")))
                .requestTimeout(Duration.ofSeconds(30)).jsonSchemaValidator(noOutputSchemas).build()) {
            McpSchema.InitializeResult initialized = client.initialize();
            assertEquals("2025-11-25", initialized.protocolVersion(), "the revision the locus assertions assume");
            for (int i = 0; i < ECHOES; i++) {
                Map<String, Object> arguments = Map.of("message", "hello-" + i);
                long start = System.nanoTime();
                var result = client.callTool(new McpSchema.CallToolRequest("echo", arguments));
                clientNanos += System.nanoTime() - start;
                assertTrue(result.isError() == null || !result.isError(), result.toString());
                echoHashes.add(ArgsHash.of("{\"message\":\"hello-" + i + "\"}"));
            }
            for (int i = 0; i < BAD_SUMS; i++) {
                long start = System.nanoTime();
                var result = client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", "x" + i)));
                clientNanos += System.nanoTime() - start;
                assertTrue(result.isError(), "the server refuses a string for a number: " + result);
            }
            for (int i = 0; i < UNKNOWN_TOOL_CALLS; i++) {
                long start = System.nanoTime();
                var result = client.callTool(new McpSchema.CallToolRequest("no-such-tool", Map.of()));
                clientNanos += System.nanoTime() - start;
                // the reference server answers an unknown tool with isError (its text: "MCP error -32602: Tool
                // no-such-tool not found"), not with a JSON-RPC error, under every revision it speaks
                assertTrue(result.isError(), result.toString());
            }
            for (int i = 0; i < UNKNOWN_RESOURCES; i++) {
                String uri = "demo://resource/missing/" + i;
                McpError error = assertThrows(McpError.class,
                        () -> client.readResource(new McpSchema.ReadResourceRequest(uri)));
                assertEquals(-32602, error.getJsonRpcError().code(), "a JSON-RPC error: " + error);
            }
        }
        return new Made(echoHashes, clientNanos);
    }

    private static long scalar(String sql) {
        return running.scalar(sql);
    }

    private static JsonNode point(String endpoint, String tool) throws Exception {
        return running.point(endpoint, SERVER, tool, FROM, FROM.plus(Duration.ofMinutes(30)));
    }

    private static void assertCalls(String tool, long calls, long toolErrors, long transportErrors) throws Exception {
        JsonNode point = point("failures", tool);
        assertEquals(List.of(calls, toolErrors, transportErrors), List.of(point.get("calls").asLong(),
                point.get("tool_error").asLong(), point.get("transport_error").asLong()), tool + ": " + point);
    }

    @Test
    void toolCallsMadeWithTheSdkClientToTheReferenceServerArriveAsExactlyThoseCallsWithTheirLocusP95AndArgsHashes()
            throws Exception {
        var registry = new SimpleMeterRegistry();
        Made made;
        try (McpSloEmitter emitter = McpSloEmitter.builder(EmitterSettings.defaults(
                        URI.create("http://127.0.0.1:" + pipeline.collectorPort()), pipeline.tokens().gateway(),
                        LocalTokens.GATEWAY_ID))
                .mutatingTools(Set.of("echo")) // audited here as a gateway audits its writing tools
                .meterRegistry(registry).build()) {
            made = callThroughTheEmitter(emitter);
        }
        int toolCalls = ECHOES + BAD_SUMS + UNKNOWN_TOOL_CALLS;
        String ours = "FROM calls FINAL WHERE server = '" + SERVER + "' AND method = 'tools/call'";
        Await.until("the tool calls in ClickHouse", Duration.ofSeconds(90), () -> scalar("SELECT count() " + ours)
                >= toolCalls);
        Await.until("the rollups", Duration.ofSeconds(90), () -> scalar("SELECT sum(calls) FROM call_rollups_1m FINAL"
                + " WHERE server = '" + SERVER + "'") >= toolCalls + UNKNOWN_RESOURCES + 1);
        Await.until("the audit trail", Duration.ofSeconds(90), () -> scalar("SELECT count() FROM audit_log FINAL"
                + " WHERE server = '" + SERVER + "'") >= ECHOES);

        assertEquals(toolCalls, scalar("SELECT count() " + ours));
        assertEquals(toolCalls, scalar("SELECT count() " + ours + " AND protocol_version = '2025-11-25' AND source = '"
                + LocalTokens.GATEWAY_ID + "' AND user = 'it-user' AND server_version != '' AND response_bytes > 0"));
        assertCalls("echo", ECHOES, 0, 0);
        assertCalls("get-sum", BAD_SUMS, BAD_SUMS, 0);
        assertCalls("no-such-tool", UNKNOWN_TOOL_CALLS, UNKNOWN_TOOL_CALLS, 0);
        assertCalls("resources/read", UNKNOWN_RESOURCES, 0, UNKNOWN_RESOURCES); // -32602 under 2025-11-25
        assertCalls("initialize", 1, 0, 0);

        // p95 from the rollups' sketches agrees with the durations stored, which the client's own clock bounds
        List<Double> echoDurations = clickHouse.query("SELECT duration_ms " + ours.replace("method = 'tools/call'",
                "tool = 'echo'")).stream().map(row -> row.get("duration_ms").asDouble()).toList();
        LatencySketch sketch = LatencySketch.empty();
        echoDurations.forEach(sketch::record);
        assertEquals(sketch.quantile(0.95), point("latency", "echo").get("p95_ms").asDouble(), 0.001);
        double storedMs = clickHouse.query("SELECT sum(duration_ms) AS ms " + ours).get(0).get("ms").asDouble();
        assertTrue(storedMs > 0 && storedMs <= made.clientNanos() / 1e6,
                "the emitter timed " + storedMs + " ms of calls the client waited " + made.clientNanos() / 1e6 + " ms for");

        Set<String> hashes = new HashSet<>(clickHouse.query("SELECT args_hash FROM audit_log FINAL WHERE server = '"
                + SERVER + "' AND action = 'tools/call' AND actor = 'it-user'").stream()
                .map(row -> row.get("args_hash").asText()).toList());
        assertEquals(made.echoHashes(), hashes);
        var dropped = registry.find("mcp.emitter.events.dropped").counters();
        assertTrue(dropped.stream().allMatch(counter -> counter.count() == 0), "nothing dropped: " + dropped);
        assertEquals(scalar("SELECT count() FROM calls FINAL WHERE server = '" + SERVER + "'") + ECHOES,
                (long) registry.get("mcp.emitter.events.sent").counter().count(), "every call and act sent once");
    }
}

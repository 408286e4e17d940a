package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.storage.memory.InMemoryStorage;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the query API decides before any storage answers — every role on every endpoint, refused parameters, the
 * request line's limits, health and unknown paths — run on the in-memory storage, without ClickHouse or Kafka, in
 * seconds (most of it the PDF renderer starting). The SQL behind the same endpoints is proved by the ITs
 * ({@code QueryApiIT}, {@code QueryAuthMatrixIT}'s team scoping) and by the storage contract both back ends pass.
 */
class QueryApiInMemoryTest {

    private static final Instant NOW = TwoTeams.NOW;
    private static final List<AuditEvent> AUDITED = new CopyOnWriteArrayList<>();
    private static Javalin app;

    @BeforeAll
    static void start() {
        var storage = new InMemoryStorage(Clock.fixed(NOW, ZoneOffset.UTC));
        TwoTeams.write(storage.pipeline());
        List<SloDefinition> slos = TwoTeams.slos();
        app = ApiTestKit.startInMemory(storage, () -> slos, Clock.fixed(NOW, ZoneOffset.UTC), AUDITED);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static HttpResponse<String> get(String pathAndQuery) {
        return ApiTestKit.call(app, ApiTestKit.sre, "GET", pathAndQuery, null);
    }

    /** An endpoint, and the status a role that may use it gets (the rest get 401 without a token, else 403). */
    private record Endpoint(String method, String path, String body, int allowedStatus, List<String> allowed) {
    }

    @Test
    void everyRoleOnEveryEndpoint() {
        List<String> read = List.of("sre", "team:devtools", "admin");
        List<String> ops = List.of("sre", "admin");
        List<String> audit = List.of("auditor", "admin");
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/api/v1/latency", null, 200, read),
                new Endpoint("GET", "/api/v1/failures", null, 200, read),
                new Endpoint("GET", "/api/v1/tools", null, 200, read),
                new Endpoint("GET", "/api/v1/calls", null, 200, read),
                new Endpoint("POST", "/api/v1/reports", "{\"team\":\"devtools\",\"week\":\"2026-W47\"}", 201, read),
                new Endpoint("GET", "/api/v1/reports", null, 200, read),
                new Endpoint("GET", "/api/v1/reports/devtools/2026-W47.md", null, 200, read),
                new Endpoint("GET", "/api/v1/reports/devtools/2026-W47.pdf", null, 200, read),
                new Endpoint("GET", "/api/v1/slos", null, 200, read),
                new Endpoint("GET", "/api/v1/slos/github-transport", null, 200, read),
                new Endpoint("GET", "/api/v1/alerts", null, 200, read),
                new Endpoint("POST", "/api/v1/alerts/mcp-slo:github-transport:page:1/ack", "{}", 201, read),
                new Endpoint("GET", "/api/v1/silences", null, 200, ops),
                new Endpoint("POST", "/api/v1/silences", "{\"matchers\":{\"slo\":\"x\"},\"duration\":\"1h\",\"comment\":\"c\"}",
                        201, ops),
                new Endpoint("GET", "/api/v1/silences/00000000-0000-0000-0000-000000000000", null, 404, ops),
                new Endpoint("DELETE", "/api/v1/silences/00000000-0000-0000-0000-000000000000", null, 404, ops),
                new Endpoint("GET", "/api/v1/audit", null, 200, audit),
                new Endpoint("GET", "/api/v1/audit/export", null, 200, audit),
                new Endpoint("GET", "/api/v1/audit/verify", null, 200, audit),
                new Endpoint("GET", "/api/v1/audit/break-glass", null, 200, List.of("auditor", "sre", "admin")),
                new Endpoint("GET", "/api/v1/dead-letters", null, 200, ops),
                new Endpoint("GET", "/api/v1/calls", null, 200, read),
                new Endpoint("GET", "/api/v1/calls/export", null, 200, read),
                new Endpoint("GET", "/api/v1/sessions/sess-github", null, 200, read),
                new Endpoint("GET", "/api/v1/traces/0123456789abcdef0123456789abcdef", null, 404, read),
                new Endpoint("GET", "/api/v1/slos/github-transport/ledger", null, 200, read),
                new Endpoint("GET", "/api/v1/alerts/mcp-slo:github-transport:page:1/ledger", null, 200, read),
                new Endpoint("GET", "/metrics", null, 200, ops),
                new Endpoint("GET", "/health", null, 200, List.of("none", "forged", "gateway:gw", "sre", "auditor", "team:devtools",
                        "admin")),
                new Endpoint("GET", "/ui/index.html", null, 200, List.of("none", "forged", "gateway:gw", "sre", "auditor",
                        "team:devtools", "admin")),
                new Endpoint("GET", "/", null, 302, List.of("none", "forged", "gateway:gw", "sre", "auditor",
                        "team:devtools", "admin")));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("none", null);
        tokens.put("forged", "mcps_not-a-token");
        tokens.put("gateway:gw", ApiTestKit.gateway);
        tokens.put("sre", ApiTestKit.sre);
        tokens.put("auditor", ApiTestKit.auditor);
        tokens.put("team:devtools", ApiTestKit.devtools);
        tokens.put("admin", ApiTestKit.admin);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Endpoint endpoint : endpoints) {
            for (var role : tokens.entrySet()) {
                int expected = endpoint.allowed().contains(role.getKey()) ? endpoint.allowedStatus()
                        : role.getValue() == null || role.getKey().equals("forged") ? 401 : 403;
                HttpResponse<String> response = ApiTestKit.call(app, role.getValue(), endpoint.method(), endpoint.path(),
                        endpoint.body());
                checked++;
                if (response.statusCode() != expected) {
                    mismatches.add(role.getKey() + " " + endpoint.method() + " " + endpoint.path() + ": expected "
                            + expected + ", got " + response.statusCode() + " " + response.body());
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(endpoints.size() * tokens.size(), checked);
    }

    @Test
    void readsOfTheAuditLogAreThemselvesAudited() {
        int before = AUDITED.size();
        assertEquals(200, ApiTestKit.call(app, ApiTestKit.auditor, "GET", "/api/v1/audit", null).statusCode());
        assertEquals(before + 1, AUDITED.size(), "one audit event for one read of the audit log");
    }

    @Test
    void badParametersAre400sNamingTheParameterAndNeverLeakTheStorage() throws Exception {
        String[][] cases = {
                {"/api/v1/latency?step=7m", "step"},
                {"/api/v1/latency?p=99", "p"},
                {"/api/v1/latency?from=notatime", "from"},
                {"/api/v1/failures?server=" + "x".repeat(1_000), "server"},
                {"/api/v1/failures?tool=a%00b", "tool"},
                {"/api/v1/failures?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "from"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = get(c[0]);
            assertEquals(400, response.statusCode(), c[1] + " -> " + response.body());
            JsonNode body = EventCodec.MAPPER.readTree(response.body());
            assertEquals(c[1], body.get("field").asText(), response.body());
            assertFalse(response.body().contains("DB::Exception"), response.body());
        }
    }

    @Test
    void tenKilobyteParameterIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> response = get("/api/v1/failures?server=" + "x".repeat(10_000));
        assertEquals(400, response.statusCode());
        assertEquals("server", EventCodec.MAPPER.readTree(response.body()).get("field").asText());
        assertEquals(414, get("/api/v1/failures?server=" + "x".repeat(70_000)).statusCode(),
                "beyond 64 kB the server refuses the request line itself");
    }

    @Test
    void healthMetricsAndUnknownPaths() throws Exception {
        assertEquals(200, get("/health").statusCode());
        assertTrue(get("/metrics").body().contains("mcp_query_requests"));
        assertEquals(404, get("/api/v1/nothing").statusCode());
    }
}

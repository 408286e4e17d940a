package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.mcpslo.common.config.Settings;
import io.mcpslo.schemas.McpEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every role against every collector endpoint, and the gateway's own-source rule. */
class CollectorAuthTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<McpEvent> published = new CopyOnWriteArrayList<>();
    private Javalin app;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeEach
    void start() {
        var config = CollectorConfig.from(new Settings(Map.of("COLLECTOR_PORT", "0")));
        app = CollectorApp.create(config, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC),
                new EventPublisher() {
                    @Override
                    public void publish(List<McpEvent> events) {
                        published.addAll(events);
                    }

                    @Override
                    public void close() {
                    }
                }, registry, TestTokens.auth()).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token.startsWith("Basic") ? token : "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(String source) {
        return """
                {"event_id":"%s","kind":"call","ts":"2026-11-25T11:59:00Z","source":"%s","server":"github",\
                "tool":"t","method":"tools/call","duration_ms":1,"outcome":"ok"}""".formatted(UUID.randomUUID(), source);
    }

    @Test
    void theRoleMatrixIsEnforcedOnEveryEndpoint() throws Exception {
        record Case(String role, String token, int events, int metrics, int health) {
        }
        List<Case> matrix = List.of(
                new Case("none", null, 401, 401, 200),
                new Case("unknown token", "mcps_forged", 401, 401, 200),
                new Case("basic auth", "Basic Z3c6Z3c=", 401, 401, 200),
                new Case("gateway:gw", TestTokens.gateway, 200, 403, 200),
                new Case("sre", TestTokens.sre, 403, 200, 200),
                new Case("auditor", TestTokens.auditor, 403, 403, 200),
                new Case("team:devtools", TestTokens.team, 403, 403, 200),
                new Case("admin", TestTokens.admin, 200, 200, 200));
        for (Case c : matrix) {
            assertEquals(c.events(), send("POST", "/v1/events", c.token(), event("gw")).statusCode(), c.role() + " POST /v1/events");
            assertEquals(c.metrics(), send("GET", "/metrics", c.token(), null).statusCode(), c.role() + " GET /metrics");
            assertEquals(c.health(), send("GET", "/health", c.token(), null).statusCode(), c.role() + " GET /health");
        }
        HttpResponse<String> refused = send("POST", "/v1/events", null, event("gw"));
        assertTrue(refused.body().contains("Bearer") && refused.headers().firstValue("WWW-Authenticate").isPresent(),
                refused.body());
    }

    @Test
    void aGatewayTokenCannotWriteEventsForAnotherGatewaysSource() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/events", TestTokens.gateway,
                "[" + event("gw") + "," + event("gw-other") + "]");
        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"field\":\"source\""), response.body());
        assertTrue(response.body().contains("may only send events of source \\\"gw\\\""), response.body());
        assertEquals(1, published.size(), "its own event is still accepted");
        assertEquals("gw", published.get(0).envelope().source());
        assertEquals(200, send("POST", "/v1/events", TestTokens.otherGateway, event("gw-other")).statusCode());
    }

    private static String call(String source, String server) {
        return event(source).replace("\"server\":\"github\"", "\"server\":\"" + server + "\"");
    }

    private static String audit(String source, String server) {
        return """
                {"event_id":"%s","kind":"audit","ts":"2026-11-25T11:59:00Z","source":"%s","server":"%s",\
                "actor":"alice","action":"tools/call","decision":"allow"}""".formatted(UUID.randomUUID(), source, server);
    }

    @Test
    void aScopedGatewayWritesOnlyItsServersAndKindsAndEveryRefusalIsCountedAndAudited() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/events", TestTokens.scopedGateway, "[" + String.join(",",
                call("gw-fleet", "github"), call("gw-fleet", "jira-eu"), call("gw-fleet", "jira"),
                call("gw-fleet", "gitlab"), audit("gw-fleet", "github"), call("gw-fleet", "jira-us")) + "]");
        assertEquals(422, response.statusCode(), response.body());
        var body = io.mcpslo.schemas.EventCodec.MAPPER.readTree(response.body());
        assertEquals("server", body.get("field").asText(), "the first refusal names the server");
        assertEquals(3, body.get("accepted").asInt());
        assertEquals(List.of("2 server gateway_scope", "3 server gateway_scope", "4 kind gateway_scope"),
                java.util.stream.StreamSupport.stream(body.get("errors").spliterator(), false)
                        .map(e -> e.get("index").asInt() + " " + e.get("field").asText() + " " + e.get("rule").asText())
                        .toList());
        List<String> stored = published.stream().filter(e -> e instanceof io.mcpslo.schemas.CallEvent)
                .map(e -> e.envelope().server()).toList();
        assertEquals(List.of("github", "jira-eu", "jira-us"), stored, "the events inside the scope are accepted");

        var denied = published.stream().filter(e -> e instanceof io.mcpslo.schemas.AuditEvent)
                .map(e -> (io.mcpslo.schemas.AuditEvent) e).toList();
        assertEquals(1, denied.size(), "one audit act for the batch");
        assertEquals("gw-fleet", denied.get(0).actor());
        assertEquals("events.write", denied.get(0).action());
        assertEquals(io.mcpslo.schemas.AuditEvent.Decision.DENY, denied.get(0).decision());
        assertEquals("gateway-scope", denied.get(0).policy());
        assertEquals("jira", denied.get(0).envelope().server());
        assertTrue(denied.get(0).reason().contains("jira (1) gitlab (1) github (1)"), denied.get(0).reason());

        String metrics = registry.scrape();
        assertTrue(metrics.contains("mcp_collector_denied_writes_total{field=\"server\",token=\"gw-fleet\"} 2.0"),
                metrics);
        assertTrue(metrics.contains("mcp_collector_denied_writes_total{field=\"kind\",token=\"gw-fleet\"} 1.0"),
                metrics);

        published.clear();
        assertEquals(200, send("POST", "/v1/events", TestTokens.scopedGateway, call("gw-fleet", "jira-eu"))
                .statusCode(), "nothing is audited for a batch wholly inside the scope");
        assertEquals(1, published.size());
        assertEquals(200, send("POST", "/v1/events", TestTokens.gateway, audit("gw", "jira")).statusCode(),
                "an unscoped token (the all-in-one's, or one made before scopes) writes any server and kind");
    }
}

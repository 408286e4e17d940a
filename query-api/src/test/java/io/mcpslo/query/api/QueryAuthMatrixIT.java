package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.processor.sink.ClickHousePipelineStore;
import io.mcpslo.processor.sink.PipelineStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every role on every query-api endpoint: the whole matrix is asserted, and a team sees only its own SLOs. */
class QueryAuthMatrixIT {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static ClickHouseClient client;
    private static Javalin app;

    private static SloDefinition slo(String id, String team) {
        var window = new RollingWindow(Duration.ofDays(30));
        return new SloDefinition(id, team, "", SloScope.ALL, new AvailabilitySli(FailureLocus.BOTH, false, false),
                new Objective(0.99), window, AlertPolicy.defaultsFor(window));
    }

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("authmatrix");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        List<AlertTransition> alerts = new ArrayList<>();
        for (String[] slo : new String[][] {{"github-transport", "devtools"}, {"jira-availability", "tracker"}}) {
            alerts.add(new AlertTransition(slo[0], slo[1], AlertKind.PAGE, Severity.PAGE, AlertStatus.INACTIVE,
                    AlertStatus.FIRING, NOW.minusSeconds(60), NOW.minusSeconds(60), "mcp-slo:" + slo[0] + ":page:1",
                    "burning", Map.of(), 0.5, "page-1h-5m"));
        }
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.of(), alerts, List.of(), List.of(), List.of(),
                List.of()));
        List<SloDefinition> slos = List.of(slo("github-transport", "devtools"), slo("jira-availability", "tracker"));
        app = ApiTestKit.start(client, () -> slos, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
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
    void aTeamTokenSeesNeitherAnotherTeamsSlosNorItsAlerts() {
        var slos = ApiTestKit.json(ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/slos", null)).get("slos");
        assertEquals(1, slos.size());
        assertEquals("github-transport", slos.get(0).get("id").asText());
        assertEquals(404, ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/slos/jira-availability", null)
                .statusCode());
        var alerts = ApiTestKit.json(ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/alerts?team=tracker",
                null)).get("alerts");
        assertEquals(0, alerts.size(), alerts.toString());
        assertEquals(404, ApiTestKit.call(app, ApiTestKit.devtools, "POST",
                "/api/v1/alerts/mcp-slo:jira-availability:page:1/ack", "{}").statusCode());
        var sreSees = ApiTestKit.json(ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/slos", null)).get("slos");
        assertEquals(2, sreSees.size());
        assertTrue(ApiTestKit.call(app, ApiTestKit.tracker, "GET", "/api/v1/slos/jira-availability", null).statusCode()
                == 200);
    }
}

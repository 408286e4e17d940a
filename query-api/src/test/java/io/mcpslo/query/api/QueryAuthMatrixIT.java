package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every role on every query-api endpoint: the whole matrix is asserted; then every read endpoint asked by each role
 * for another team's resources (its server's calls, its SLOs, alerts and reports): a team sees none of them.
 */
class QueryAuthMatrixIT {

    private static final Instant NOW = TwoTeams.NOW;
    private static ClickHouseClient client;
    private static Javalin app;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("authmatrix");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        TwoTeams.write(store);
        List<SloDefinition> slos = TwoTeams.slos();
        app = ApiTestKit.start(client, () -> slos, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
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

    /** A read of tracker's resources (server jira, SLO jira-availability, its alert and reports). */
    private record Probe(String method, String path, String body) {
    }

    @Test
    void everyReadEndpointHidesAnotherTeamsServersSlosAlertsAndReports() {
        List<Probe> probes = List.of(
                new Probe("POST", "/api/v1/reports", "{\"team\":\"tracker\",\"week\":\"2026-W47\"}"),
                new Probe("GET", "/api/v1/latency?server=jira&step=all", null),
                new Probe("GET", "/api/v1/failures?server=jira&step=all", null),
                new Probe("GET", "/api/v1/tools?server=jira", null),
                new Probe("GET", "/api/v1/calls?server=jira", null),
                new Probe("GET", "/api/v1/tools", null),
                new Probe("GET", "/api/v1/slos", null),
                new Probe("GET", "/api/v1/slos?team=tracker", null),
                new Probe("GET", "/api/v1/slos?server=jira", null),
                new Probe("GET", "/api/v1/slos/jira-availability", null),
                new Probe("GET", "/api/v1/alerts", null),
                new Probe("GET", "/api/v1/alerts?team=tracker", null),
                new Probe("GET", "/api/v1/alerts?slo=jira-availability", null),
                new Probe("POST", "/api/v1/alerts/mcp-slo:jira-availability:page:1/ack", "{}"),
                new Probe("GET", "/api/v1/calls", null),
                new Probe("GET", "/api/v1/calls?server=jira", null),
                new Probe("GET", "/api/v1/calls/export?format=csv", null),
                new Probe("GET", "/api/v1/sessions/sess-jira", null),
                new Probe("GET", "/api/v1/slos/jira-availability/ledger", null),
                new Probe("GET", "/api/v1/alerts/mcp-slo:jira-availability:page:1/ledger", null),
                new Probe("GET", "/api/v1/reports", null),
                new Probe("GET", "/api/v1/reports?team=tracker", null),
                new Probe("GET", "/api/v1/reports/tracker/2026-W47.md", null),
                new Probe("GET", "/api/v1/reports/tracker/2026-W47.html", null));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("sre", ApiTestKit.sre);
        tokens.put("admin", ApiTestKit.admin);
        tokens.put("team:tracker", ApiTestKit.tracker);
        tokens.put("team:devtools", ApiTestKit.devtools);
        tokens.put("auditor", ApiTestKit.auditor);
        List<String> mismatches = new ArrayList<>();
        for (var role : tokens.entrySet()) {
            for (Probe probe : probes) {
                HttpResponse<String> response = ApiTestKit.call(app, role.getValue(), probe.method(), probe.path(),
                        probe.body());
                int status = response.statusCode();
                boolean mentionsTracker = response.body().contains("jira") || response.body().contains("tracker");
                String outcome = switch (role.getKey()) {
                    // may not read at all
                    case "auditor" -> status == 403 ? null : "expected 403";
                    // another team's: not found, or an answer without a trace of it
                    case "team:devtools" -> status == 404 || status / 100 == 2 && !mentionsTracker ? null
                            : "expected 404 or an answer without jira/tracker";
                    // sre, admin and tracker itself see it
                    default -> status / 100 == 2 && mentionsTracker ? null : "expected 2xx showing jira/tracker";
                };
                if (outcome != null) {
                    mismatches.add(role.getKey() + " " + probe.method() + " " + probe.path() + ": " + outcome
                            + ", got " + status + " " + response.body());
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void aTeamsTotalsCountOnlyTheServersItsSlosName() {
        Map<String, Long> expected = Map.of("team:devtools", 10L, "team:tracker", 20L, "sre", 30L, "admin", 30L);
        Map<String, String> tokens = Map.of("team:devtools", ApiTestKit.devtools, "team:tracker", ApiTestKit.tracker,
                "sre", ApiTestKit.sre, "admin", ApiTestKit.admin);
        for (var role : tokens.entrySet()) {
            for (String endpoint : List.of("/api/v1/latency?step=all", "/api/v1/failures?step=all")) {
                var body = ApiTestKit.json(ApiTestKit.call(app, role.getValue(), "GET", endpoint, null));
                assertEquals(expected.get(role.getKey()), body.get("points").get(0).get("calls").asLong(),
                        role.getKey() + " " + endpoint);
            }
        }
        var notFound = ApiTestKit.json(ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/failures?server=jira",
                null));
        assertEquals("server", notFound.get("field").asText());
    }

    @Test
    void aTeamWhoseSlosNameNoServerReadsNoCalls() {
        assertEquals(java.util.Optional.of(java.util.Set.of()), ReadScope.ownedServers(java.util.Set.of("nobody"),
                List.of(TwoTeams.slo("github-transport", "devtools", "github"))));
        assertEquals(java.util.Optional.empty(), ReadScope.ownedServers(java.util.Set.of("platform"),
                List.of(TwoTeams.slo("fleet", "platform", null))), "an SLO over every server covers them all");
    }
}

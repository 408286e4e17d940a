package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyPercentileSli;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.TimeslicedSli;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A simulated incident on the billing server, from the page to the calls that burned it: the budget ledger of the
 * alert and of the SLO attributes the burn by the SLO's own SLI, and the session and trace views show what one
 * agent did and where it broke — against the real ClickHouse, scoped to the reader's team.
 */
class IncidentLedgerIT {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    private static final Instant FIRED = T0.plus(Duration.ofMinutes(32));
    private static final Instant RESOLVED = T0.plus(Duration.ofMinutes(40));
    private static final String DEDUP_KEY = "mcp-slo:billing-availability:page:1";
    private static final String SESSION = "sess-incident-7";
    private static final String TRACE = "0123456789abcdef0123456789abcdef";
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    private static final List<SloDefinition> SLOS = List.of(
            new SloDefinition("billing-availability", "tracker", "", new SloScope("billing", null, null),
                    new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                    AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("billing-latency", "tracker", "", new SloScope("billing", null, null),
                    new LatencyThresholdSli(300), new Objective(0.95), WINDOW, AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("billing-p90", "tracker", "", new SloScope("billing", null, null),
                    new LatencyPercentileSli(0.9, 300), new Objective(0.9), WINDOW, AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("billing-sliced", "tracker", "", new SloScope("billing", null, null),
                    new TimeslicedSli(new AvailabilitySli(FailureLocus.TRANSPORT, false, false), 0.9),
                    new Objective(0.9), WINDOW, AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("github-transport", "devtools", "", new SloScope("github", null, null),
                    new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                    AlertPolicy.defaultsFor(WINDOW)));
    private static final String[] TOOLS = {"charge", "refund", "lookup"};
    private static final List<CallEvent> BILLING = new ArrayList<>();
    private static final List<CallEvent> INCIDENT = new ArrayList<>();
    private static final List<CallEvent> SLOW_LOOKUPS = new ArrayList<>();
    private static ClickHouseClient client;
    private static Javalin app;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("ledger");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        List<CallEvent> others = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            Instant start = T0.plus(Duration.ofMinutes(minute));
            for (int i = 0; i < 20; i++) {
                String tool = TOOLS[i % 3];
                TestCalls call = TestCalls.call().server("billing").version("3.1.0").tool(tool).source("gw-eu")
                        .team("payments").user("user-" + i % 4).session("sess-" + i % 5)
                        .at(start.plusSeconds(i * 3L)).took(50 + i * 10);
                if (tool.equals("refund") && i % 4 == 1 && minute % 6 == 0) {
                    call.failed(Outcome.TOOL_ERROR, null, "card_declined"); // the tool's own failure: not transport
                } else if (tool.equals("lookup") && i == 2 && minute % 10 == 0) {
                    call.failed(Outcome.DENIED, 403, "forbidden"); // denied: no event of an availability SLO
                } else if (tool.equals("lookup") && i == 5 && minute % 5 == 0) {
                    call.took(500);
                }
                CallEvent built = call.build();
                BILLING.add(built);
                if (built.durationMs() == 500) {
                    SLOW_LOOKUPS.add(built);
                }
            }
            if (minute >= 30 && minute < 35) {
                for (int i = 0; i < 40; i++) {
                    CallEvent failed = TestCalls.call().server("billing").version("3.1.0").tool("charge")
                            .source(i % 2 == 0 ? "gw-eu" : "gw-us").team("payments").user("user-" + i % 4)
                            .session(i == 0 ? SESSION : "sess-" + i % 5).trace(i == 0 ? TRACE : null)
                            .at(start.plusSeconds(i).plusMillis(500)).took(1000)
                            .failed(Outcome.TRANSPORT_ERROR, -32603, "upstream_timeout").build();
                    INCIDENT.add(failed);
                    BILLING.add(failed);
                }
                // another team's server failing at the same time burns no billing budget
                others.add(TestCalls.call().server("github").at(start).session(SESSION)
                        .failed(Outcome.TRANSPORT_ERROR, 502, "bad_gateway").build());
            }
        }
        // the session's first call, in the same trace, went through before things broke
        CallEvent sessionStart = TestCalls.call().server("billing").version("3.1.0").tool("lookup").source("gw-eu")
                .user("user-0").session(SESSION).trace(TRACE).at(T0.plus(Duration.ofMinutes(29))).took(40).build();
        BILLING.add(sessionStart);
        store.writeCalls(BILLING);
        store.writeCalls(INCIDENT); // the incident's batch replayed: each call counts once
        store.writeCalls(others);
        Map<RollupKey, CallRollup> rollups = new LinkedHashMap<>();
        for (CallEvent call : BILLING) {
            rollups.merge(CallRollup.keyOf(call), CallRollup.empty(CallRollup.keyOf(call)).plus(call),
                    (a, b) -> a.plus(call));
        }
        var disable = auditAct(FIRED.plusSeconds(30), "server.disable", "INC-9: billing down");
        var toolCall = auditAct(T0.plus(Duration.ofMinutes(30)).plusMillis(200), "tools/call", null);
        var first = AuditChain.next(null, 3, toolCall);
        List<AlertTransition> alerts = List.of(
                new AlertTransition("billing-availability", "tracker", AlertKind.PAGE, Severity.PAGE, AlertStatus.INACTIVE,
                        AlertStatus.FIRING, FIRED, FIRED, DEDUP_KEY, "billing is burning", Map.of("1h", 20.0), 0.5,
                        "page-1h-5m"),
                new AlertTransition("billing-availability", "tracker", AlertKind.PAGE, Severity.PAGE, AlertStatus.FIRING,
                        AlertStatus.RESOLVED, RESOLVED, FIRED, DEDUP_KEY, "billing recovered", Map.of("1h", 2.0), 0.4,
                        "page-1h-5m"));
        store.write(new PipelineStore.Batch(List.of(), List.of(), List.copyOf(rollups.values()), alerts, List.of(),
                List.of(), List.of(new ChainedAudit(toolCall, first, NOW),
                        new ChainedAudit(disable, AuditChain.next(first, 3, disable), NOW)), List.of()));
        app = ApiTestKit.start(client, () -> SLOS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static AuditEvent auditAct(Instant at, String action, String reason) {
        var envelope = new EventEnvelope(UUID.randomUUID(), at, "gw-eu", "billing", "3.1.0", "charge", "tools/call", null,
                SESSION, "user-0", "payments", TRACE, null);
        return new AuditEvent(envelope, "oncall@example.com", "claude-code/2.1", action, "billing", null,
                AuditEvent.Decision.ALLOW, null, "ok", reason);
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static JsonNode ok(String token, String pathAndQuery) {
        HttpResponse<String> response = ApiTestKit.call(app, token, "GET", pathAndQuery, null);
        assertEquals(200, response.statusCode(), pathAndQuery + " " + response.body());
        return ApiTestKit.json(response);
    }

    private static Set<String> ids(List<CallEvent> calls) {
        return calls.stream().map(c -> c.envelope().eventId().toString()).collect(Collectors.toSet());
    }

    private static Set<String> followLink(String link) {
        Set<String> found = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = ok(ApiTestKit.sre, link + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("calls").forEach(call -> found.add(call.get("event_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return found;
    }

    /** The one row of a dimension, asserting there is only one. */
    private static JsonNode only(JsonNode ledger, String dimension) {
        JsonNode rows = ledger.get("groups").get(dimension);
        assertEquals(1, rows.size(), dimension + ": " + rows);
        return rows.get(0);
    }

    @Test
    void theAlertsLedgerAttributesTheWholeBurnToTheFailingToolAndItsErrorCode() {
        JsonNode ledger = ok(ApiTestKit.sre, "/api/v1/alerts/" + DEDUP_KEY + "/ledger");
        assertEquals(FIRED.minus(Duration.ofHours(1)).toString(), ledger.get("from").asText(), "the rule's long window");
        assertEquals(RESOLVED.toString(), ledger.get("to").asText(), "until it resolved");
        assertEquals("1h", ledger.get("alert").get("look_back").asText());
        assertEquals("resolved", ledger.get("alert").get("state").asText());
        assertEquals(200, ledger.get("bad_calls").asLong(), "the 200 transport failures, each once");
        JsonNode tool = only(ledger, "tool");
        assertEquals("charge", tool.get("value").asText());
        assertEquals(200, tool.get("bad_calls").asLong());
        assertEquals(1.0, tool.get("share_of_bad").asDouble(), 1e-12);
        JsonNode code = only(ledger, "error_code");
        assertEquals("-32603", code.get("value").asText());
        assertEquals(1.0, code.get("share_of_bad").asDouble(), 1e-12);
        assertEquals("upstream_timeout", only(ledger, "error_type").get("value").asText());
        assertEquals("3.1.0", only(ledger, "version").get("value").asText());
        assertEquals(2, ledger.get("groups").get("source").size(), "both gateways carried failures");
        assertEquals(4, ledger.get("groups").get("user").size());
        assertEquals(INCIDENT.get(0).envelope().ts().toString(), ledger.get("first_bad").asText());
        assertEquals(INCIDENT.get(INCIDENT.size() - 1).envelope().ts().toString(), ledger.get("last_bad").asText());
        // the budget: 1 % of the calls the SLO counts (denied calls are not events) over the 30 days up to `to`
        long counted = BILLING.stream().filter(c -> c.outcome() != Outcome.DENIED && c.envelope().ts().isBefore(RESOLVED))
                .count();
        assertEquals(0.01 * counted, ledger.get("window_allowed_bad").asDouble(), 1e-9);
        assertEquals(200 / (0.01 * counted), ledger.get("budget_spent").asDouble(), 1e-9);
        assertEquals(200 / (0.01 * counted), tool.get("budget_spent").asDouble(), 1e-9);
        assertEquals(ids(INCIDENT), followLink(tool.get("calls_link").asText()), "the link lists exactly those calls");
        assertEquals(ids(INCIDENT), followLink(ledger.get("calls_link").asText()));
    }

    @Test
    void theSloLedgerCountsBadCallsByItsOwnSli() {
        String range = "?from=" + T0 + "&to=" + T0.plus(Duration.ofHours(1));
        JsonNode availability = ok(ApiTestKit.tracker, "/api/v1/slos/billing-availability/ledger" + range);
        assertEquals(200, availability.get("bad_calls").asLong(), "tool errors and denials burn no transport budget");
        assertEquals(BILLING.stream().filter(c -> c.outcome() != Outcome.DENIED).count(),
                availability.get("counted_calls").asLong());
        JsonNode latency = ok(ApiTestKit.tracker, "/api/v1/slos/billing-latency/ledger" + range);
        assertEquals(300.0, latency.get("bad_when").get("over_ms").asDouble());
        assertEquals(200 + SLOW_LOOKUPS.size(), latency.get("bad_calls").asLong(), "the slow calls, whatever their outcome");
        JsonNode tools = latency.get("groups").get("tool");
        assertEquals("charge", tools.get(0).get("value").asText());
        assertEquals("lookup", tools.get(1).get("value").asText());
        assertEquals(SLOW_LOOKUPS.size(), tools.get(1).get("bad_calls").asLong());
        Set<String> slow = ids(INCIDENT);
        slow.addAll(ids(SLOW_LOOKUPS));
        assertEquals(slow, followLink(latency.get("calls_link").asText()));
        JsonNode quiet = ok(ApiTestKit.tracker, "/api/v1/slos/billing-availability/ledger?from=" + T0 + "&to="
                + T0.plus(Duration.ofMinutes(10)));
        assertEquals(0, quiet.get("bad_calls").asLong());
        assertNull(quiet.get("first_bad").textValue());
        assertEquals(0, quiet.get("groups").get("tool").size());
    }

    /** The rows of a dimension by value. */
    private static Map<String, JsonNode> byValue(JsonNode ledger, String dimension) {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        ledger.get("groups").get(dimension).forEach(row -> rows.put(row.get("value").asText(), row));
        return rows;
    }

    @Test
    void aTimesliceSlosLedgerSharesEachBadMinuteAmongTheCallsThatMadeItBad() {
        String range = "?from=" + T0 + "&to=" + T0.plus(Duration.ofHours(1));
        // p90 over 300 ms: minutes 30–34 (40 charges of 1 s among 60 calls) are bad; a lone slow lookup in any other
        // minute leaves its minute's p90 under 300 ms, so it burned nothing
        JsonNode p90 = ok(ApiTestKit.tracker, "/api/v1/slos/billing-p90/ledger" + range);
        assertFalse(p90.get("bad_when").get("budget_in_calls").asBoolean());
        assertEquals(5, p90.get("bad_minutes").asLong());
        assertEquals(60, p90.get("counted_minutes").asLong());
        assertEquals(200 + SLOW_LOOKUPS.size(), p90.get("bad_calls").asLong(), "every call over 300 ms is listed");
        assertEquals(0.1 * 60, p90.get("window_allowed_bad").asDouble(), 1e-9, "10 % of the window's 60 minutes");
        assertEquals(5 / 6.0, p90.get("budget_spent").asDouble(), 1e-9);
        Map<String, JsonNode> tools = byValue(p90, "tool");
        assertEquals(List.of("charge", "lookup"), List.copyOf(tools.keySet()), "the larger share first");
        // minute 30 also had a slow lookup: its one bad minute is shared by 41 calls; minutes 31–34 are charge's alone
        assertEquals((4 + 40 / 41.0) / 5, tools.get("charge").get("share_of_bad").asDouble(), 1e-9);
        assertEquals((1 / 41.0) / 5, tools.get("lookup").get("share_of_bad").asDouble(), 1e-9);
        assertEquals((1 / 41.0) / 6, tools.get("lookup").get("budget_spent").asDouble(), 1e-9);
        assertEquals(5, tools.get("charge").get("bad_minutes").asLong());
        assertEquals(1, tools.get("lookup").get("bad_minutes").asLong(), "of its slow calls, one fell in a bad minute");
        assertEquals(SLOW_LOOKUPS.size(), tools.get("lookup").get("bad_calls").asLong());
        for (String dimension : List.of("tool", "source", "user", "error_code")) {
            double shares = 0;
            for (JsonNode row : p90.get("groups").get(dimension)) {
                shares += row.get("share_of_bad").asDouble();
            }
            assertEquals(1.0, shares, 1e-9, dimension + ": the shares of one dimension add up to the bad minutes");
        }
        // transport availability per minute, at least 90 % good: the same five minutes, each burned by both gateways
        JsonNode sliced = ok(ApiTestKit.tracker, "/api/v1/slos/billing-sliced/ledger" + range);
        assertEquals(5, sliced.get("bad_minutes").asLong());
        assertEquals(200, sliced.get("bad_calls").asLong());
        Map<String, JsonNode> gateways = byValue(sliced, "source");
        assertEquals(0.5, gateways.get("gw-eu").get("share_of_bad").asDouble(), 1e-9);
        assertEquals(0.5, gateways.get("gw-us").get("share_of_bad").asDouble(), 1e-9);
        assertEquals(5, gateways.get("gw-us").get("bad_minutes").asLong(), "took part in all five");
        assertEquals(1.0, only(sliced, "tool").get("share_of_bad").asDouble(), 1e-9);
        // a per-call SLO has no minutes
        JsonNode perCall = ok(ApiTestKit.tracker, "/api/v1/slos/billing-availability/ledger" + range);
        assertTrue(perCall.get("bad_minutes").isNull());
        assertTrue(only(perCall, "tool").get("bad_minutes").isNull());
        // a range with calls over the threshold in good minutes only: bad calls, yet no burn
        JsonNode quiet = ok(ApiTestKit.tracker, "/api/v1/slos/billing-p90/ledger?from=" + T0 + "&to="
                + T0.plus(Duration.ofMinutes(10)));
        assertEquals(2, quiet.get("bad_calls").asLong());
        assertEquals(0, quiet.get("bad_minutes").asLong());
        assertEquals(0.0, quiet.get("budget_spent").asDouble());
        assertEquals(0.0, byValue(quiet, "tool").get("lookup").get("budget_spent").asDouble());
        assertTrue(byValue(quiet, "tool").get("lookup").get("share_of_bad").isNull(), "no bad minute to share");
    }

    @Test
    void aSessionShowsItsCallsAndAuditActsInOrderAndWhereItBroke() {
        JsonNode admin = ok(ApiTestKit.admin, "/api/v1/sessions/" + SESSION + "?from=" + T0 + "&to=" + NOW);
        List<String> kinds = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        admin.get("timeline").forEach(item -> {
            kinds.add(item.get("kind").asText() + (item.has("action") ? ":" + item.get("action").asText() : ""));
            times.add(item.get("ts_ms").asLong());
        });
        // its first call went through; then each minute a github call of the same session id failed, and billing's
        // charge too; a tool call was audited and a break-glass act disabled the server
        assertEquals(List.of("call", "call", "audit:tools/call", "call", "call", "call", "call", "call",
                "audit:server.disable", "call", "call", "call", "call"), kinds, admin.toString());
        assertEquals(times.stream().sorted().toList(), times, "in the order it happened");
        assertEquals("all", admin.get("audit_acts").asText());
        assertEquals("github", admin.get("first_failure").get("server").asText());
        assertEquals(11, admin.get("calls").asInt());
        assertEquals(10, admin.get("outcomes").get("transport_error").asInt());
        JsonNode sre = ok(ApiTestKit.sre, "/api/v1/sessions/" + SESSION + "?from=" + T0 + "&to=" + NOW);
        assertEquals("break-glass", sre.get("audit_acts").asText());
        assertEquals(12, sre.get("timeline").size(), "an sre sees the break-glass act, not the other audit act");
        JsonNode tracker = ok(ApiTestKit.tracker, "/api/v1/sessions/" + SESSION + "?from=" + T0 + "&to=" + NOW);
        assertEquals(6, tracker.get("timeline").size(), "billing's calls only, no audit act");
        assertEquals("none", tracker.get("audit_acts").asText());
        assertEquals(INCIDENT.get(0).envelope().eventId().toString(),
                tracker.get("first_failure").get("event_id").asText(), "where it broke on billing");
        JsonNode trace = ok(ApiTestKit.tracker, "/api/v1/traces/" + TRACE + "?from=" + T0 + "&to=" + NOW);
        assertEquals(List.of(BILLING.get(BILLING.size() - 1).envelope().eventId().toString(),
                INCIDENT.get(0).envelope().eventId().toString()), List.of(trace.get("timeline").get(0).get("event_id")
                .asText(), trace.get("timeline").get(1).get("event_id").asText()));
        assertEquals(6, trace.get("timeline").size());
        assertEquals(5, trace.get("outcomes").get("transport_error").asInt());
    }

    @Test
    void anotherTeamFindsNeitherTheLedgersNorTheSession() {
        for (String path : List.of("/api/v1/alerts/" + DEDUP_KEY + "/ledger", "/api/v1/slos/billing-availability/ledger",
                "/api/v1/traces/" + TRACE + "?from=" + T0)) {
            HttpResponse<String> response = ApiTestKit.call(app, ApiTestKit.devtools, "GET", path, null);
            assertEquals(404, response.statusCode(), path + " " + response.body());
            assertTrue(!response.body().contains("charge") && !response.body().contains("tracker"), response.body());
        }
        JsonNode devtools = ok(ApiTestKit.devtools, "/api/v1/sessions/" + SESSION + "?from=" + T0 + "&to=" + NOW);
        assertEquals(5, devtools.get("timeline").size(), "only the github calls of that session id");
        devtools.get("timeline").forEach(item -> assertEquals("github", item.get("server").asText()));
        assertEquals(403, ApiTestKit.call(app, ApiTestKit.auditor, "GET", "/api/v1/slos/billing-availability/ledger",
                null).statusCode());
    }

    @Test
    void badIdsAndParametersAreRefusedNamingTheField() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/alerts/" + URLEncoder.encode("x' OR 1=1", StandardCharsets.UTF_8) + "/ledger", "dedup_key");
        cases.put("/api/v1/alerts/" + "k".repeat(400) + "/ledger", "dedup_key");
        cases.put("/api/v1/alerts/" + DEDUP_KEY + "/ledger?from=" + T0, "from");
        cases.put("/api/v1/slos/Billing!/ledger", "id");
        cases.put("/api/v1/slos/billing-availability/ledger?from=yesterday", "from");
        cases.put("/api/v1/slos/billing-availability/ledger?from=" + NOW + "&to=" + T0, "from");
        cases.put("/api/v1/slos/billing-availability/ledger?step=1m", "step");
        cases.put("/api/v1/sessions/" + URLEncoder.encode("a\u0001b", StandardCharsets.UTF_8), "session_id");
        cases.put("/api/v1/sessions/" + "s".repeat(600), "session_id");
        cases.put("/api/v1/sessions/" + SESSION + "?limit=5", "limit");
        cases.put("/api/v1/traces/XYZ", "trace_id");
        cases.put("/api/v1/traces/" + TRACE + "?to=soon", "to");
        for (var testCase : cases.entrySet()) {
            HttpResponse<String> response = ApiTestKit.call(app, ApiTestKit.sre, "GET", testCase.getKey(), null);
            assertEquals(400, response.statusCode(), testCase.getKey() + " " + response.body());
            assertEquals(testCase.getValue(), ApiTestKit.json(response).get("field").asText(), testCase.getKey());
        }
        HttpResponse<String> unknown = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/alerts/mcp-slo:nope:page:1/ledger",
                null);
        assertEquals(404, unknown.statusCode());
        assertEquals("dedup_key", ApiTestKit.json(unknown).get("field").asText());
        assertEquals(404, ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/sessions/nobody", null).statusCode());
    }
}

package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.calls.CallCursor;
import io.mcpslo.storage.calls.CallFilter;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.clickhouse.storage.CallTable;
import io.mcpslo.clickhouse.storage.ClickHouseCallStore;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.Outcome;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Call search against the real ClickHouse, over a corpus whose sessions, users, traces and failures are known: every
 * filter and combinations of them give exactly the calls the corpus says, paging neither loses nor repeats, a team
 * reads only its servers, hostile values never reach SQL.
 */
class CallSearchIT {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant HOUR_AGO = NOW.minus(Duration.ofHours(1));
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    static final List<SloDefinition> SLOS = List.of(
            new SloDefinition("github-transport", "devtools", "", new SloScope("github", null, null),
                    new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                    AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("github-latency", "devtools", "", new SloScope("github", "search_code_v2", null),
                    new LatencyThresholdSli(400), new Objective(0.95), WINDOW, AlertPolicy.defaultsFor(WINDOW)),
            new SloDefinition("jira-availability", "tracker", "", new SloScope("jira", null, null),
                    new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), WINDOW,
                    AlertPolicy.defaultsFor(WINDOW)));
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin"};
    static final List<CallEvent> CORPUS = new ArrayList<>();
    private static ClickHouseClient client;
    private static ClickHousePipelineStore store;
    private static Javalin app;

    /** 600 calls over the last hour: two servers, 7 sessions, 5 users, 4 calls per trace, failures at known steps. */
    static List<CallEvent> corpus() {
        List<CallEvent> calls = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            boolean jira = i % 3 == 0;
            TestCalls call = TestCalls.call().at(HOUR_AGO.plusSeconds(i * 6L).plusMillis(i % 3))
                    .server(jira ? "jira" : "github").tool(jira ? "search_issues" : i % 2 == 0 ? "search_code_v1"
                            : "search_code_v2").version(jira ? "1.9.0" : i % 4 == 1 ? "2.4.1" : "2.5.0")
                    .source(i % 2 == 0 ? "gw-eu" : "gw-us").team(jira ? "tracker" : "devtools")
                    .trace(String.format("%032x", 0xabc000 + i / 4)).took(20 + (i * 37) % 500);
            if (i % 19 != 0) {
                call.session("sess-" + i % 7).user(USERS[i % 5]);
            }
            if (i % 11 == 0) {
                call.failed(Outcome.TRANSPORT_ERROR, -32603, "timeout");
            } else if (i % 13 == 0) {
                call.failed(Outcome.TOOL_ERROR, null, "tool_error");
            } else if (i % 17 == 0) {
                call.failed(Outcome.DENIED, 403, "forbidden");
            }
            calls.add(call.build());
        }
        return calls;
    }

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("calls");
        store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        CORPUS.addAll(corpus());
        store.writeCalls(CORPUS);
        store.writeCalls(CORPUS.subList(0, 50)); // a replayed batch: each call must still count once
        app = ApiTestKit.start(client, () -> SLOS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static HttpResponse<String> get(String token, String pathAndQuery) {
        return ApiTestKit.call(app, token, "GET", pathAndQuery, null);
    }

    /** Every call a search finds, following next_cursor page by page; fails on a repeat. */
    private static List<String> allPages(String token, String query, int limit) {
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        long lastTs = Long.MAX_VALUE;
        do {
            HttpResponse<String> response = get(token, "/api/v1/calls?" + query + "&limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, response.statusCode(), query + " " + response.body());
            JsonNode page = ApiTestKit.json(response);
            for (JsonNode call : page.get("calls")) {
                assertTrue(seen.add(call.get("event_id").asText()), "repeated " + call.get("event_id") + " for " + query);
                assertTrue(call.get("ts_ms").asLong() <= lastTs, "newest first");
                lastTs = call.get("ts_ms").asLong();
                ids.add(call.get("event_id").asText());
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return ids;
    }

    private static Set<String> expected(Predicate<CallEvent> matches) {
        return CORPUS.stream().filter(matches).map(call -> call.envelope().eventId().toString()).collect(Collectors.toSet());
    }

    private static final String RANGE = "from=" + HOUR_AGO + "&to=" + NOW;

    @Test
    void everyFilterAndCombinationsFindExactlyTheCallsOfTheCorpus() {
        Map<String, Predicate<CallEvent>> cases = new LinkedHashMap<>();
        cases.put("server=jira", c -> c.envelope().server().equals("jira"));
        cases.put("tool=search_code_v1", c -> "search_code_v1".equals(c.envelope().tool()));
        cases.put("version=2.5.0", c -> "2.5.0".equals(c.envelope().serverVersion()));
        cases.put("session=sess-3", c -> "sess-3".equals(c.envelope().sessionId()));
        cases.put("user=carol", c -> "carol".equals(c.envelope().user()));
        cases.put("team=tracker", c -> "tracker".equals(c.envelope().team()));
        cases.put("trace=" + String.format("%032x", 0xabc000 + 17), c -> c.envelope().traceId()
                .equals(String.format("%032x", 0xabc000 + 17)));
        cases.put("source=gw-us", c -> c.envelope().source().equals("gw-us"));
        cases.put("outcome=transport_error", c -> c.outcome() == Outcome.TRANSPORT_ERROR);
        cases.put("outcome=tool_error,denied", c -> c.outcome() == Outcome.TOOL_ERROR || c.outcome() == Outcome.DENIED);
        cases.put("error_code=-32603", c -> Integer.valueOf(-32603).equals(c.errorCode()));
        cases.put("error_type=forbidden", c -> "forbidden".equals(c.errorType()));
        cases.put("min_ms=400", c -> c.durationMs() >= 400);
        cases.put("server=github&outcome=transport_error", c -> c.envelope().server().equals("github")
                && c.outcome() == Outcome.TRANSPORT_ERROR);
        cases.put("session=sess-2&outcome=transport_error", c -> "sess-2".equals(c.envelope().sessionId())
                && c.outcome() == Outcome.TRANSPORT_ERROR);
        cases.put("user=alice&tool=search_issues&min_ms=100", c -> "alice".equals(c.envelope().user())
                && "search_issues".equals(c.envelope().tool()) && c.durationMs() >= 100);
        cases.put("user=bob&session=sess-6&source=gw-eu", c -> "bob".equals(c.envelope().user())
                && "sess-6".equals(c.envelope().sessionId()) && c.envelope().source().equals("gw-eu"));
        cases.put("server=jira&error_code=-32603&error_type=timeout&team=tracker", c -> c.envelope().server().equals("jira")
                && Integer.valueOf(-32603).equals(c.errorCode()));
        cases.put("trace=" + String.format("%032x", 0xabc000 + 30) + "&user=alice", c -> c.envelope().traceId()
                .equals(String.format("%032x", 0xabc000 + 30)) && "alice".equals(c.envelope().user()));
        cases.put("session=nobody", c -> false);
        for (var testCase : cases.entrySet()) {
            Set<String> want = expected(testCase.getValue());
            List<String> found = allPages(ApiTestKit.sre, testCase.getKey() + "&" + RANGE, 37);
            assertEquals(want, new HashSet<>(found), testCase.getKey());
            assertEquals(want.size(), found.size(), testCase.getKey() + ": each call once");
            if (!testCase.getKey().equals("session=nobody")) {
                assertFalse(want.isEmpty(), "the corpus holds calls for " + testCase.getKey());
            }
        }
        // the range is [from, to): a call exactly at `to` is not listed, one at `from` is
        Instant tenth = CORPUS.get(10).envelope().ts();
        assertEquals(Set.of(CORPUS.get(10).envelope().eventId().toString()), new HashSet<>(allPages(ApiTestKit.sre,
                "from=" + tenth + "&to=" + CORPUS.get(11).envelope().ts(), 100)));
    }

    @Test
    void tenThousandCallsWithOneTimestampPageThroughWithoutLossOrRepeat() {
        Instant same = NOW.minus(Duration.ofMinutes(90)).plusMillis(123);
        List<CallEvent> burst = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            burst.add(TestCalls.call().at(same).server("burst").tool("same_ms").session("sess-burst").user("burst-user")
                    .build());
        }
        store.writeCalls(burst);
        store.writeCalls(burst.subList(0, 1000)); // replayed: still once each
        Set<String> written = burst.stream().map(c -> c.envelope().eventId().toString()).collect(Collectors.toSet());
        String range = "&from=" + same.minusSeconds(1) + "&to=" + same.plusSeconds(1);
        // by session, by server, by user, and fleet-wide (min_ms alone reads the time-first copy)
        for (String query : List.of("session=sess-burst", "server=burst", "user=burst-user&tool=same_ms", "min_ms=0")) {
            List<String> found = allPages(ApiTestKit.sre, query + range, 1000);
            assertEquals(10_000, found.size(), query + ": every call exactly once");
            assertEquals(written, new HashSet<>(found), query);
        }
    }

    @Test
    void aTeamSearchesOnlyTheServersItsSlosName() {
        Set<String> github = expected(c -> c.envelope().server().equals("github"));
        assertEquals(github, new HashSet<>(allPages(ApiTestKit.devtools, RANGE, 1000)), "devtools owns github only");
        assertEquals(expected(c -> c.envelope().server().equals("github") && "carol".equals(c.envelope().user())),
                new HashSet<>(allPages(ApiTestKit.devtools, "user=carol&" + RANGE, 1000)),
                "a user's calls on other teams' servers stay hidden");
        HttpResponse<String> other = get(ApiTestKit.devtools, "/api/v1/calls?server=jira&" + RANGE);
        assertEquals(404, other.statusCode(), other.body());
        assertEquals("server", ApiTestKit.json(other).get("field").asText());
        assertEquals(404, get(ApiTestKit.devtools, "/api/v1/calls/export?server=jira&" + RANGE).statusCode());
        assertEquals(403, get(ApiTestKit.auditor, "/api/v1/calls?" + RANGE).statusCode(), "auditors read the audit log");
        assertEquals(401, get(null, "/api/v1/calls?" + RANGE).statusCode());
    }

    @Test
    void exportStreamsEveryMatchingCallAndNeutralisesFormulasInCsv() {
        store.writeCalls(List.of(TestCalls.call().at(NOW.minus(Duration.ofMinutes(70))).server("csv")
                .tool("=HYPERLINK(\"http://evil\")").user("@admin").build()));
        String range = "&from=" + NOW.minus(Duration.ofMinutes(75)) + "&to=" + NOW.minus(Duration.ofMinutes(65));
        HttpResponse<String> csv = get(ApiTestKit.sre, "/api/v1/calls/export?format=csv&server=csv" + range);
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals("1", csv.headers().firstValue("X-Total-Rows").orElseThrow());
        assertTrue(csv.body().contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), csv.body());
        assertTrue(csv.body().contains("\"'@admin\""), csv.body());
        HttpResponse<String> ndjson = get(ApiTestKit.sre, "/api/v1/calls/export?format=ndjson&outcome=transport_error&"
                + RANGE);
        assertEquals(200, ndjson.statusCode());
        long transport = CORPUS.stream().filter(c -> c.outcome() == Outcome.TRANSPORT_ERROR).count();
        assertEquals(Long.toString(transport), ndjson.headers().firstValue("X-Total-Rows").orElseThrow(),
                "counted once each in the time-first copy");
        long transportLines = ndjson.body().lines().count();
        assertEquals(transport, ndjson.body().lines().count(), "one line per call, replays once");
        assertEquals(transportLines, transport);
        assertTrue(ndjson.body().lines().allMatch(line -> line.contains("\"outcome\":\"transport_error\"")));
        assertEquals(400, get(ApiTestKit.sre, "/api/v1/calls/export?format=xlsx").statusCode());
    }

    /** Every call of a filter through one copy of the calls, page by page (23 a page, so pages break mid-second). */
    private static List<Map<String, Object>> everyPage(CallTable table, CallFilter filter) {
        CallStore calls = ClickHouseCallStore.readingOnly(client, table);
        List<Map<String, Object>> rows = new ArrayList<>();
        Optional<CallCursor> cursor = Optional.empty();
        while (true) {
            List<Map<String, Object>> page = calls.page(filter, cursor, 23);
            rows.addAll(page);
            if (page.size() < 23) {
                return rows;
            }
            Map<String, Object> last = page.get(page.size() - 1);
            cursor = Optional.of(new CallCursor((Long) last.get("ts_ms"), UUID.fromString((String) last.get("event_id"))));
        }
    }

    private static CallFilter filter(Map<String, String> equals, Set<Outcome> outcomes, Integer errorCode, Double minMs,
                                     Set<String> visibleServers) {
        return new CallFilter(equals, outcomes, Optional.ofNullable(errorCode), Optional.ofNullable(minMs),
                Optional.ofNullable(visibleServers), HOUR_AGO, NOW);
    }

    @Test
    void everyCopyThatCanAnswerASearchGivesTheSameCallsInTheSameOrder() {
        Map<CallFilter, Predicate<CallEvent>> cases = new LinkedHashMap<>();
        cases.put(filter(Map.of(), Set.of(), -32603, null, null), c -> Integer.valueOf(-32603).equals(c.errorCode()));
        cases.put(filter(Map.of("error_type", "forbidden"), Set.of(), null, null, null),
                c -> "forbidden".equals(c.errorType()));
        cases.put(filter(Map.of(), Set.of(Outcome.TOOL_ERROR, Outcome.DENIED), null, null, null),
                c -> c.outcome() == Outcome.TOOL_ERROR || c.outcome() == Outcome.DENIED);
        cases.put(filter(Map.of("source", "gw-us"), Set.of(), null, null, null), c -> c.envelope().source().equals("gw-us"));
        cases.put(filter(Map.of("team", "tracker"), Set.of(), null, null, null), c -> "tracker".equals(c.envelope().team()));
        cases.put(filter(Map.of(), Set.of(), null, 400.0, null), c -> c.durationMs() >= 400);
        cases.put(filter(Map.of(), Set.of(), null, null, null), c -> true);
        cases.put(filter(Map.of("server_version", "2.4.1", "tool", "search_code_v2"), Set.of(), null, null, null),
                c -> "2.4.1".equals(c.envelope().serverVersion()) && "search_code_v2".equals(c.envelope().tool()));
        cases.put(filter(Map.of("server", "github", "source", "gw-eu"), Set.of(Outcome.TRANSPORT_ERROR), null, 100.0, null),
                c -> c.envelope().server().equals("github") && c.envelope().source().equals("gw-eu")
                        && c.outcome() == Outcome.TRANSPORT_ERROR && c.durationMs() >= 100);
        cases.put(filter(Map.of(), Set.of(), null, null, Set.of("jira")), c -> c.envelope().server().equals("jira"));
        cases.put(filter(Map.of(), Set.of(), null, null, Set.of()), c -> false);
        cases.put(filter(Map.of("session_id", "sess-3"), Set.of(Outcome.TRANSPORT_ERROR), null, null, null),
                c -> "sess-3".equals(c.envelope().sessionId()) && c.outcome() == Outcome.TRANSPORT_ERROR);
        cases.put(filter(Map.of("user", "carol", "team", "devtools"), Set.of(), null, null, null),
                c -> "carol".equals(c.envelope().user()) && "devtools".equals(c.envelope().team()));
        for (var testCase : cases.entrySet()) {
            CallFilter filter = testCase.getKey();
            List<String> want = CORPUS.stream().filter(c -> c.envelope().ts().isBefore(NOW)).filter(testCase.getValue())
                    .sorted(Comparator.comparing((CallEvent c) -> c.envelope().ts()).reversed())
                    .map(c -> c.envelope().eventId().toString()).toList();
            List<CallTable> answering = Arrays.stream(CallTable.values()).filter(t -> t.canAnswer(filter)).toList();
            assertTrue(answering.contains(CallTable.forFilter(filter)), "the store picks a copy that can answer");
            List<Map<String, Object>> first = null;
            for (CallTable table : answering) {
                List<Map<String, Object>> rows = everyPage(table, filter);
                assertEquals(want, rows.stream().map(row -> (String) row.get("event_id")).toList(), table + " " + filter);
                if (first != null) {
                    assertEquals(first, rows, "whole rows alike: " + table + " " + filter);
                }
                first = rows;
                assertEquals(want.size(), ClickHouseCallStore.readingOnly(client, table).count(filter), table + " count");
            }
        }
        // the shapes an on-call engineer asks from a page, without naming a server, read the time-first copy
        for (CallFilter fleetWide : List.copyOf(cases.keySet()).subList(0, 8)) {
            assertEquals(CallTable.TIME, CallTable.forFilter(fleetWide), fleetWide.toString());
        }
    }

    @Test
    void aFleetWideSearchListsCallsWhoseStoredNamesLookLikeSql() {
        Instant at = NOW.minus(Duration.ofMinutes(80));
        List<String> names = List.of("x' OR '1'='1", "a\\'), ('b", "\\", "q\"uote", "t\u00e9l\u00e9phone \u2603",
                "'); DROP TABLE calls; --", "(1, 2)");
        List<CallEvent> odd = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            odd.add(TestCalls.call().at(at.plusMillis(i)).server(names.get(i)).tool(names.get(names.size() - 1 - i))
                    .failed(Outcome.TRANSPORT_ERROR, 4242, "odd").build());
        }
        store.writeCalls(odd);
        String range = "&from=" + at.minusSeconds(1) + "&to=" + at.plusSeconds(1);
        HttpResponse<String> response = get(ApiTestKit.sre, "/api/v1/calls?error_code=4242" + range);
        assertEquals(200, response.statusCode(), response.body());
        List<String> servers = new ArrayList<>();
        for (JsonNode call : ApiTestKit.json(response).get("calls")) {
            servers.add(call.get("server").asText());
            assertEquals(names.get(names.size() - 1 - names.indexOf(call.get("server").asText())),
                    call.get("tool").asText(), "each call's own tool");
        }
        assertEquals(names.reversed(), servers, "every call, newest first, names as stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "tool", "version", "session", "user", "team", "source", "error_type", "trace"})
    void hostileValuesInEveryFilterAreRefusedOrFindNothingButNeverReachSqlUnescaped(String field) {
        List<String> hostile = List.of("x' OR '1'='1", "x\\' OR 1=1 --", "'; DROP TABLE calls; --", "\\",
                "\u0000", "a".repeat(10_000), "\" OR \"\"=\"", "server) OR (1=1", "%27%20OR%201=1");
        for (String value : hostile) {
            HttpResponse<String> response = get(ApiTestKit.sre, "/api/v1/calls?" + field + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&" + RANGE);
            int status = response.statusCode();
            assertTrue(status == 200 || status == 400, field + " → " + status + " " + response.body());
            if (status == 200) {
                assertEquals(0, ApiTestKit.json(response).get("calls").size(), "nothing matches " + value);
            } else {
                assertEquals(field, ApiTestKit.json(response).get("field").asText(), response.body());
            }
            assertFalse(response.body().contains("DB::Exception") || response.body().contains("ClickHouse"),
                    response.body());
        }
        assertEquals(600, client.query("SELECT uniqExact(event_id) AS n FROM " + client.database() + ".calls WHERE ts_ms < "
                + NOW.toEpochMilli() + " AND ts_ms >= " + HOUR_AGO.toEpochMilli()).get(0).get("n").asInt(),
                "the table is still there");
    }

    @Test
    void wrongTypesOversizedAndUnknownParametersAreRefusedNamingTheParameter() {
        for (String[] bad : new String[][] {{"error_code=abc", "error_code"}, {"error_code=99999999999", "error_code"},
            {"min_ms=-1", "min_ms"}, {"min_ms=1e400", "min_ms"}, {"min_ms=NaN", "min_ms"}, {"outcome=broken", "outcome"},
            {"outcome=ok,,denied", "outcome"}, {"limit=0", "limit"}, {"limit=1001", "limit"}, {"cursor=bm9wZQ", "cursor"},
            {"cursor=" + "A".repeat(5000), "cursor"}, {"trace=ABC", "trace"}, {"session=" + "s".repeat(513), "session"},
            {"server=" + "s".repeat(201), "server"}, {"from=yesterday", "from"}, {"to=2026-13-45T00:00:00Z", "to"},
            {"from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "from"}, {"colour=red", "colour"},
            {"user=a&user=b", "user"}}) {
            HttpResponse<String> response = get(ApiTestKit.sre, "/api/v1/calls?" + bad[0]);
            assertEquals(400, response.statusCode(), bad[0] + " " + response.body());
            assertEquals(bad[1], ApiTestKit.json(response).get("field").asText(), bad[0]);
        }
    }
}

package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.MinuteRollups;
import io.mcpslo.clickhouse.RollupRoller;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET /api/v1/tools: a range without a step (a week and a month too), paged, worst first. */
class ToolsApiIT {

    private static final List<String[]> KEYS = List.of(new String[] {"github", "search_v1", "2.4.0"},
            new String[] {"github", "search_v2", "2.5.0"}, new String[] {"github", "create_pr", "2.5.0"},
            new String[] {"jira", "create_issue", "9"}, new String[] {"jira", "search", "9"});

    private static ClickHouseClient client;
    private static Javalin app;
    private static Instant now;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("tools_api");
        long seconds = client.query("SELECT toUInt32(now()) AS now").get(0).get("now").asLong() / 60 * 60;
        now = Instant.ofEpochSecond(seconds + 60);
        MinuteRollups.fill(client, new Random(4), KEYS, seconds - 9 * 86_400, seconds, 20);
        new RollupRoller(client, 35).rollOnce();
        RollingWindow window = new RollingWindow(Duration.ofDays(30));
        List<SloDefinition> slos = List.of(new SloDefinition("github-transport", "devtools", "",
                new SloScope("github", null, null), new AvailabilitySli(FailureLocus.TRANSPORT, false, false),
                new Objective(0.99), window, AlertPolicy.defaultsFor(window)));
        app = ApiTestKit.start(client, () -> slos, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static String range(Duration length) {
        return "from=" + encode(now.minus(length).toString()) + "&to=" + encode(now.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String token, String query) {
        return ApiTestKit.call(app, token, "GET", "/api/v1/tools?" + query, null);
    }

    @Test
    void aWeekOrAMonthNeedsNoStepAndComesWorstFirst() {
        for (Duration length : List.of(Duration.ofDays(7), Duration.ofDays(30))) {
            HttpResponse<String> response = get(ApiTestKit.sre, range(length));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = ApiTestKit.json(response);
            assertEquals("all", body.get("step").asText());
            assertEquals(KEYS.size(), body.get("total").asInt());
            JsonNode tools = body.get("tools");
            assertEquals(KEYS.size(), tools.size());
            for (int i = 1; i < tools.size(); i++) {
                assertTrue(failures(tools.get(i - 1)) >= failures(tools.get(i)), body.toString());
            }
            assertTrue(tools.get(0).has("server") && tools.get(0).has("p95_ms"), body.toString());
        }
    }

    private static long failures(JsonNode tool) {
        return tool.get("tool_error").asLong() + tool.get("transport_error").asLong();
    }

    @Test
    void pagesFitTogetherAndSayWhereTheNextStarts() {
        List<String> paged = new ArrayList<>();
        Integer offset = 0;
        while (offset != null) {
            JsonNode page = ApiTestKit.json(get(ApiTestKit.sre, range(Duration.ofDays(7)) + "&sort=calls&limit=2&offset="
                    + offset));
            assertEquals(KEYS.size(), page.get("total").asInt());
            page.get("tools").forEach(tool -> paged.add(tool.get("server").asText() + "/" + tool.get("tool").asText()));
            offset = page.get("next_offset").isNull() ? null : page.get("next_offset").asInt();
        }
        List<String> whole = new ArrayList<>();
        ApiTestKit.json(get(ApiTestKit.sre, range(Duration.ofDays(7)) + "&sort=calls&limit=1000")).get("tools")
                .forEach(tool -> whole.add(tool.get("server").asText() + "/" + tool.get("tool").asText()));
        assertEquals(whole, paged);
        assertEquals(KEYS.size(), paged.size());
    }

    @Test
    void aTeamSeesOnlyItsServersTools() {
        JsonNode body = ApiTestKit.json(get(ApiTestKit.devtools, range(Duration.ofDays(7))));
        assertEquals(3, body.get("total").asInt());
        body.get("tools").forEach(tool -> assertEquals("github", tool.get("server").asText()));
        assertEquals(404, get(ApiTestKit.devtools, "server=jira&" + range(Duration.ofDays(7))).statusCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "step=5m|step", "step=1h|step", "sort=name%27%20OR%201%3D1|sort", "sort=|sort", "limit=0|limit",
            "limit=1001|limit", "limit=ten|limit", "offset=-1|offset", "offset=1e3|offset", "offset=99999999999|offset",
            "page=2|page", "sort=calls&sort=p95|sort", "from=yesterday|from"})
    void badParametersAreRefusedNamingTheField(String query, String field) {
        HttpResponse<String> response = get(ApiTestKit.sre, query);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(field, ApiTestKit.json(response).get("field").asText(), response.body());
    }
}

package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The dead letters the sink wrote, read back through the API: newest first, filtered, bad parameters refused. */
class DeadLetterApiIT {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static ClickHouseClient client;
    private static Javalin app;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("deadletters");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        byte[] surrogate = "{\"tool\":\"x\\ud800\"}".getBytes(StandardCharsets.UTF_8);
        store.writeDeadLetters(List.of(
                new DeadLetter("mcp.calls.v1", 2, 41, "calls", "Code: 25, missing second part of surrogate pair",
                        surrogate, NOW.minusSeconds(600)),
                new DeadLetter("mcp.audit.v1", 0, 7, "audit_events", "undecodable: reason with a \u0000 and \ud800",
                        new byte[] {(byte) 0xff, 0}, NOW.minusSeconds(60))));
        app = ApiTestKit.start(client, List::of, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static JsonNode letters(String query) {
        var response = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/dead-letters" + query, null);
        assertEquals(200, response.statusCode(), response.body());
        return ApiTestKit.json(response).get("dead_letters");
    }

    @Test
    void listsNewestFirstWithReasonAndOriginalBytes() {
        JsonNode all = letters("");
        assertEquals(2, all.size(), all.toString());
        assertEquals("audit_events", all.get(0).get("table").asText());
        assertEquals("undecodable: reason with a \ufffd and \ufffd", all.get(0).get("reason").asText(),
                "a reason is stored as printable text");
        JsonNode call = all.get(1);
        assertEquals("mcp.calls.v1", call.get("topic").asText());
        assertEquals(2, call.get("partition").asInt());
        assertEquals(41, call.get("offset").asLong());
        assertEquals("{\"tool\":\"x\\ud800\"}", new String(Base64.getDecoder().decode(call.get("payload_base64").asText()),
                StandardCharsets.UTF_8));
        assertEquals(1, letters("?table=calls").size());
        assertEquals(1, letters("?from=2026-11-25T11:55:00Z").size());
        assertEquals(1, letters("?limit=1").size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?table=calls'%20OR%201=1--|table",
            "?table=bogus|table",
            "?limit=0|limit",
            "?limit=abc|limit",
            "?from=yesterday|from",
            "?from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z|from",
            "?topic=mcp.calls.v1|topic",
            "?table=calls&table=audit_events|table"})
    void refusesBadParametersNamingThem(String query, String field) {
        var response = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/dead-letters" + query, null);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(field, ApiTestKit.json(response).get("field").asText(), response.body());
    }

    @Test
    void teamsAndGatewaysCannotReadThem() {
        assertEquals(403, ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/dead-letters", null).statusCode());
        assertEquals(403, ApiTestKit.call(app, ApiTestKit.gateway, "GET", "/api/v1/dead-letters", null).statusCode());
    }
}

package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.common.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClickHouseClientIT {

    private static ClickHouseClient client;

    @BeforeAll
    static void connect() {
        client = ClickHouseTestSupport.freshDatabase("client");
    }

    @AfterAll
    static void dropDatabase() {
        ClickHouseTestSupport.drop(client);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's", "back\\slash", "\\'; DROP TABLE calls; --", "' OR 1=1 --",
            "nul\u0000byte", "new\nline\ttab", "emoji ✓ ünïcödé", "\\", "'", "\\\\'", "%27%20OR%201=1",
            "FORMAT TSV", "{name:String}"})
    void hostileStringsRoundTripAsLiteralsNeverAsSql(String hostile) {
        List<com.fasterxml.jackson.databind.JsonNode> rows =
                client.query("SELECT " + SqlLiteral.string(hostile) + " AS value, count() AS tables FROM system.tables"
                        + " WHERE database = " + SqlLiteral.string(client.database()));
        assertEquals(hostile, rows.get(0).get("value").asText());
        assertTrue(rows.get(0).get("tables").asInt() >= 3, "tables must still be there");
    }

    @Test
    void hugeLiteralIsStillOneValue() {
        String big = "x'".repeat(5_000);
        assertEquals(big, client.query("SELECT " + SqlLiteral.string(big) + " AS v").get(0).get("v").asText());
    }

    @Test
    void aStatementReadingATableItsMigrationDropsIsSkippedOnlyOnceThatTableIsGone() {
        String db = client.database();
        var migrator = new SchemaMigrator(client);
        client.execute("CREATE TABLE " + db + ".copied_from (x UInt8) ENGINE = Memory");
        client.execute("CREATE TABLE " + db + ".copied_to (x UInt8) ENGINE = Memory");
        var copy = new SchemaMigrator.Statement("INSERT INTO " + db + ".copied_to SELECT x FROM " + db + ".copied_from",
                Optional.of(db + ".copied_from"));
        var broken = new SchemaMigrator.Statement("INSERT INTO " + db + ".copied_to SELECT y FROM " + db
                + ".copied_from", Optional.of(db + ".copied_from"));
        assertThrows(ClickHouseException.class, () -> migrator.execute(broken),
                "a statement that fails while its table is there is an error");
        client.execute("DROP TABLE " + db + ".copied_from");
        migrator.execute(copy); // another run of the migration copied it and dropped it
        assertThrows(ClickHouseException.class, () -> migrator.execute(new SchemaMigrator.Statement(copy.sql(),
                Optional.empty())), "without the mark, the missing table is an error");
    }

    @Test
    void migrationsWaitForStatementsLongerThanAQuery() {
        var impatient = client.withRequestTimeout(Duration.ofSeconds(1));
        assertThrows(ClickHouseException.class, () -> impatient.execute("SELECT sleep(2)"), "a query times out");
        new SchemaMigrator(impatient).execute(new SchemaMigrator.Statement("SELECT sleep(2)", Optional.empty()));
    }

    @Test
    void migrationIsIdempotentAndRecorded() {
        assertEquals(List.of(), new SchemaMigrator(client).migrate());
        var versions = client.query("SELECT version FROM " + client.database() + ".schema_migrations FINAL");
        assertEquals("V001", versions.get(0).get("version").asText());
    }

    @Test
    void insertsJsonEachRowAndReadsBack() {
        String rows = """
                {"event_id":"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41","ts":1764065730,"ts_ms":1764065730123,"source":"gw","server":"s","server_version":"","tool":"t","method":"tools/call","protocol_version":"","session_id":"","user":"","team":"","trace_id":"","span_id":"","duration_ms":12.5,"outcome":"ok","error_code":null,"error_type":"","retry":0,"response_bytes":null,"ingested_at":1764065731}
                """;
        client.insertJsonEachRow("calls", rows.getBytes(StandardCharsets.UTF_8));
        client.insertJsonEachRow("calls", rows.getBytes(StandardCharsets.UTF_8));
        var row = client.query("SELECT count() AS n, any(duration_ms) AS d FROM calls FINAL").get(0);
        assertEquals(1, row.get("n").asLong(), "a replayed event collapses");
        assertEquals(12.5, row.get("d").asDouble());
    }

    /** The same call as JSONEachRow and as RowBinary (under another id) reads back alike, column for column. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's \"quoted\" \\ back", "nul\u0000byte", "new\nline\ttab", "emoji ✓ ünïcödé 😀", ""})
    void rowBinaryStoresWhatJsonEachRowStores(String text) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String server = "rb-" + Integer.toHexString(text.hashCode());
        boolean full = !text.isEmpty();
        var json = mapper.createObjectNode()
                .put("event_id", "6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41").put("ts", 1764065730).put("ts_ms", 1764065730123L)
                .put("source", text).put("server", server).put("server_version", text).put("tool", text)
                .put("method", "tools/call").put("protocol_version", text).put("session_id", text).put("user", text)
                .put("team", text).put("trace_id", text).put("span_id", text).put("duration_ms", 182.4)
                .put("outcome", "transport_error").put("error_type", text).put("retry", full ? 1000 : 0)
                .put("ingested_at", 1764065731);
        if (full) {
            json.put("error_code", -32603).put("response_bytes", 1_099_511_627_776L);
        } else {
            json.putNull("error_code").putNull("response_bytes");
        }
        client.insertJsonEachRow("calls", (mapper.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
        var rows = new RowBinaryWriter(0).uuid(java.util.UUID.fromString("00000000-0000-4000-8000-000000000001"))
                .dateTime(1764065730).uint64(1764065730123L).string(text).string(server).string(text).string(text)
                .string("tools/call").string(text).string(text).string(text).string(text).string(text).string(text)
                .float64(182.4).int8(3).nullableInt32(full ? -32603 : null).string(text).uint16(full ? 1000 : 0)
                .nullableUInt64(full ? 1_099_511_627_776L : null).dateTime(1764065731);
        client.insertRowBinary("calls", List.of("event_id", "ts", "ts_ms", "source", "server", "server_version", "tool",
                "method", "protocol_version", "session_id", "user", "team", "trace_id", "span_id", "duration_ms", "outcome",
                "error_code", "error_type", "retry", "response_bytes", "ingested_at"), rows);
        var stored = client.query("SELECT toString(event_id) AS id, ts, ts_ms, source, server, server_version, tool, method,"
                + " protocol_version, session_id, user, team, trace_id, span_id, duration_ms, outcome, error_code,"
                + " error_type, retry, response_bytes, ingested_at FROM calls WHERE server = " + SqlLiteral.string(server)
                + " ORDER BY id");
        assertEquals(2, stored.size(), stored.toString());
        assertEquals("00000000-0000-4000-8000-000000000001", stored.get(0).get("id").asText());
        assertEquals("6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41", stored.get(1).get("id").asText());
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored.get(0)).remove("id");
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored.get(1)).remove("id");
        assertEquals(stored.get(1), stored.get(0));
        assertEquals(text, stored.get(0).get("tool").asText());
        assertEquals("transport_error", stored.get(0).get("outcome").asText());
        assertEquals(full, !stored.get(0).get("error_code").isNull());
    }

    @Test
    void rowBinaryAnswersAreReadRowByRowAndMetered() {
        List<String> rows = new java.util.ArrayList<>();
        try (io.mcpslo.storage.ReadMeter meter = io.mcpslo.storage.ReadMeter.open()) {
            client.queryRowBinary("SELECT toUInt32(number) AS n, toString(number) AS s,"
                    + " CAST(range(number) AS Array(Int32)) AS bins, CAST(range(number) AS Array(UInt64)) AS counts"
                    + " FROM system.numbers LIMIT 300", row -> rows.add(row.uint32() + ":" + row.string() + ":"
                            + row.int32Array().length + ":" + row.uint64Array().length));
            if (meter.exact()) { // a server that sends X-ClickHouse-Summary: what it read, at least the rows returned
                assertTrue(meter.rows() >= 300, meter.rows() + " rows read");
            } else { // 18.16: no statistics with a binary answer, the rows returned stand in
                assertEquals(300, meter.rows());
            }
        }
        assertEquals(300, rows.size());
        assertEquals("299:299:299:299", rows.get(299));
        var misread = assertThrows(ClickHouseException.class, () -> client.queryRowBinary(
                "SELECT toUInt32(1) AS n", row -> row.uint64()));
        assertTrue(misread.getMessage().contains("UInt64") && misread.getMessage().contains("SELECT toUInt32(1)"),
                misread.getMessage());
        assertThrows(ClickHouseException.class, () -> client.queryRowBinary("SELECT nonsense_function()", row -> { }));
    }

    @Test
    void refusedStatementCarriesClickHouseAnswer() {
        var error = assertThrows(ClickHouseException.class, () -> client.query("SELECT nonsense_function()"));
        assertTrue(error.getMessage().contains("nonsense_function"), error.getMessage());
        assertEquals(false, error.unreachable());
    }

    @Test
    void unreachableServerSaysHowToStartIt() {
        var settings = new Settings(Map.of("CLICKHOUSE_URL", "http://127.0.0.1:1", "CLICKHOUSE_TIMEOUT", "2s"));
        var offline = new ClickHouseClient(ClickHouseConfig.from(settings));
        assertEquals(false, offline.ping());
        var error = assertThrows(ClickHouseException.class, () -> offline.execute("SELECT 1"));
        assertTrue(error.unreachable());
        assertTrue(error.getMessage().contains("scripts/clickhouse.sh start"), error.getMessage());
    }
}

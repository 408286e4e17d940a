package io.mcpslo.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.clickhouse.ClickHouseException;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard variable takes its values from event data ({@code SELECT DISTINCT server …}), so a gateway names
 * what a viewer selects. Hostile names selected in every variable reach ClickHouse only as a string: each query
 * returns exactly what the same query returns with the value quoted by {@link SqlLiteral}, and the queries run as
 * the read-only user the provisioned data source logs in as.
 */
class GrafanaHostileVariablesIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    static final List<String> HOSTILE = List.of(
            "a' OR 1=1 OR '",
            "\\' OR 1=1 -- ",                       // defeats Grafana's sqlstring ('' doubling) on ClickHouse
            "trailing backslash\\",
            "\" OR \"\"=\"",
            "<script>alert(1)</script>",
            "<!channel> <https://example.invalid|re-login>",
            "| a | `b` |",
            "=HYPERLINK(\"https://example.invalid\")",
            "%27 already %2520 encoded+plus",
            "ünïcødé € 😀",
            "\\'".repeat(2_500) + "x".repeat(5_000));  // 10 kB
    /** The dashboards' variables and the column that holds their value in a query's result, if any. */
    private static final Map<String, Optional<String>> RESULT_COLUMN = Map.of("server", Optional.empty(),
            "tool", Optional.of("tool"), "actor", Optional.of("actor"), "slo", Optional.of("slo_id"),
            "team", Optional.of("team"));

    private static ClickHouseClient admin;
    private static ClickHouseClient reader;

    @BeforeAll
    static void seed() {
        admin = ClickHouseTestSupport.freshDatabase("grafana_hostile");
        reader = new ClickHouseClient(new ClickHouseConfig(admin.config().url(), readerUser(), readerPassword(),
                admin.database(), admin.config().requestTimeout()));
        var store = new ClickHousePipelineStore(admin, Clock.systemUTC());
        store.prepare();
        List<String> names = new ArrayList<>(HOSTILE);
        names.add("github"); // an innocent neighbour, which an injected OR would drag in
        List<CallRollup> rollups = new ArrayList<>();
        List<SloStatus> statuses = new ArrayList<>();
        List<AlertTransition> alerts = new ArrayList<>();
        List<ChainedAudit> audits = new ArrayList<>();
        ChainedAudit previous = null;
        for (int n = 0; n < names.size(); n++) {
            String name = names.get(n);
            for (int minute = 1; minute <= 10; minute++) {
                Instant start = NOW.minus(Duration.ofMinutes(minute));
                CallRollup rollup = CallRollup.empty(new RollupKey(name, name, "1.0", start));
                for (int i = 0; i <= n; i++) {
                    var envelope = new EventEnvelope(UUID.randomUUID(), start.plusSeconds(i), "gw", name, "1.0", name,
                            "tools/call", null, null, null, null, null, null);
                    rollup = rollup.plus(new CallEvent(envelope, 10.0 + n, i == 0 ? Outcome.TOOL_ERROR : Outcome.OK,
                            null, null, null, null));
                }
                rollups.add(rollup);
                statuses.add(new SloStatus(name, name, start, start.minus(Duration.ofDays(30)), start, 0.99, 0.995,
                        ErrorBudget.of(new Objective(0.99), new EventCounts(1000, n), EventCounts.NONE),
                        Map.of("5m", 1.0 + n, "1h", 1.0 + n), List.of(), false, false, false));
            }
            alerts.add(new AlertTransition(name, name, AlertKind.PAGE, Severity.PAGE, AlertStatus.INACTIVE,
                    AlertStatus.FIRING, NOW.minus(Duration.ofMinutes(5)), NOW.minus(Duration.ofMinutes(5)),
                    "mcp-slo:x:page:" + n, "burning", Map.of("1h", 20.0), 0.5, "page-1h-5m"));
            var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofMinutes(3)), "gw", name, null, null,
                    null, null, null, null, null, null, null);
            var event = new AuditEvent(envelope, name, null, "server.disable", name, null, AuditEvent.Decision.ALLOW,
                    null, "ok", name);
            var link = AuditChain.next(previous == null ? null : previous.link(), 0, event);
            previous = new ChainedAudit(event, link, NOW);
            audits.add(previous);
        }
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups, alerts, statuses, List.of(), audits, List.of()));
    }

    @AfterAll
    static void drop() {
        ClickHouseTestSupport.drop(admin);
    }

    /** The provisioned data source's user name (its default when the environment does not set one). */
    private static String readerUser() {
        try {
            String yaml = Files.readString(Path.of("grafana", "provisioning", "datasources", "clickhouse.yaml"));
            Matcher matcher = Pattern.compile("username: \\$\\{[A-Z_]+:-([a-z_]+)}").matcher(yaml);
            assertTrue(matcher.find(), "the data source names its user with a default");
            return matcher.group(1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String readerPassword() {
        String fromEnvironment = System.getenv("MCP_SLO_CLICKHOUSE_READER_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Path file = Path.of(System.getenv().getOrDefault("MCP_SLO_DATA_DIR", Path.of("..", ".data").toString()),
                "clickhouse-reader.password");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no read-only ClickHouse password in " + file.toAbsolutePath()
                    + ": start ClickHouse with scripts/clickhouse.sh (which creates the user), or set"
                    + " MCP_SLO_CLICKHOUSE_READER_PASSWORD for a server configured elsewhere", e);
        }
    }

    private static List<JsonNode> run(ClickHouseClient client, String sql) {
        return client.query(sql);
    }

    @Test
    void hostileNamesInEveryVariableSelectExactlyTheirOwnRows() {
        Instant from = NOW.minus(Duration.ofHours(1));
        Instant to = NOW.plus(Duration.ofMinutes(1));
        int checked = 0;
        for (JsonNode dashboard : GrafanaQueries.dashboards()) {
            List<GrafanaQueries.Query> queries = GrafanaQueries.queries(dashboard);
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                String name = variable.get("name").asText();
                for (String hostile : HOSTILE) {
                    Map<String, String> values = new HashMap<>();
                    queries.stream().flatMap(q -> GrafanaQueries.REFERENCE.matcher(q.sql()).results())
                            .forEach(ref -> values.put(ref.group(1), "github"));
                    values.put(name, hostile);
                    if (name.equals("server") || name.equals("tool")) {
                        values.put("server", hostile); // each seeded server has one tool, of its own name
                        values.put("tool", hostile);
                    }
                    for (GrafanaQueries.Query query : queries) {
                        if (!query.uses(name)) {
                            continue;
                        }
                        String where = query.dashboard() + " / " + query.where() + " with $" + name + " = "
                                + abbreviate(hostile);
                        String sent = GrafanaQueries.expand(query.sql(), from, to, values);
                        String oracle = oracle(query.sql(), from, to, values);
                        assertFalse(hostile.length() > 3 && sent.contains(hostile), where + ": the raw value is in the SQL");
                        List<JsonNode> rows = run(reader, sent);
                        assertEquals(run(admin, oracle), rows, where + ": differs from the value quoted as a literal");
                        assertFalse(rows.isEmpty(), where + " found nothing: the value did not arrive intact");
                        RESULT_COLUMN.get(name).ifPresent(column -> rows.stream().filter(row -> row.has(column))
                                .forEach(row -> assertEquals(hostile, row.get(column).asText(), where)));
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= HOSTILE.size() * 12, "checked " + checked);
    }

    /** The same query with each variable quoted by the project's own, tested literal quoting. */
    private static String oracle(String sql, Instant from, Instant to, Map<String, String> values) {
        Matcher matcher = GrafanaQueries.ESCAPED_REFERENCE.matcher(GrafanaQueries.expandTime(sql, from, to));
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(SqlLiteral.string(values.get(matcher.group(1)))));
        }
        return matcher.appendTail(out).toString();
    }

    @Test
    void grafanasSqlstringFormatAloneWouldLetABackslashEndTheLiteral() {
        // sqlstring doubles quotes but keeps backslashes; ClickHouse reads \' as a quote inside the string
        String hostile = "\\' OR 1=1 -- ";
        String sqlstring = "'" + hostile.replace("'", "''").replace("\"", "\\\"") + "'";
        String count = "SELECT count() AS n FROM call_rollups_1m WHERE server = ";
        long injected = run(admin, count + sqlstring + "\n").get(0).get("n").asLong();
        long escaped = run(admin, count + "decodeURLComponent('" + GrafanaQueries.percentEncode(hostile) + "')")
                .get(0).get("n").asLong();
        assertEquals(10, escaped);
        assertEquals(10L * (HOSTILE.size() + 1), injected, "sqlstring let OR 1=1 through");
    }

    @Test
    void percentEncodingLeavesNothingThatCanEndOrEscapeAClickHouseString() {
        for (String hostile : HOSTILE) {
            assertTrue(GrafanaQueries.percentEncode(hostile).matches("[A-Za-z0-9._~%-]*"), hostile);
            assertEquals(hostile, run(reader, "SELECT decodeURLComponent('" + GrafanaQueries.percentEncode(hostile)
                    + "') AS v").get(0).get("v").asText());
        }
    }

    @Test
    void theProvisionedUserReadsButCannotWriteOrChangeSchemaOrLeaveReadOnly() throws Exception {
        assertEquals("mcp_slo_reader", readerUser());
        assertFalse(run(reader, "SELECT count() AS n FROM call_rollups_1m").isEmpty());
        String table = admin.database() + ".call_rollups_1m";
        for (String write : List.of("INSERT INTO " + table + " (server) VALUES ('x')",
                "ALTER TABLE " + table + " DELETE WHERE 1", "DROP TABLE " + table, "TRUNCATE TABLE " + table,
                "CREATE TABLE " + admin.database() + ".evil (a UInt8) ENGINE = Memory",
                "CREATE DATABASE evil_" + UUID.randomUUID().toString().substring(0, 8))) {
            assertThrows(ClickHouseException.class, () -> reader.execute(write), write);
        }
        // the plugin sets max_execution_time on every query; readonly itself stays locked
        assertEquals(200, readerHttp("max_execution_time=30", "SELECT 1"));
        assertEquals(500, readerHttp("readonly=0", "SELECT 1"));
    }

    private static int readerHttp(String setting, String sql) throws Exception {
        URI uri = URI.create(admin.config().url().toString().replaceAll("/+$", "") + "/?" + setting + "&user="
                + URLEncoder.encode(reader.config().user(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(reader.config().password(), StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "… (" + value.length() + " chars)" : value;
    }
}

package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.clickhouse.storage.ClickHouseReportStore;
import io.mcpslo.query.report.HostileNames;
import io.mcpslo.query.report.ReportService;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Names a gateway chose (servers, tools, actors, reasons) written into every output the API makes: JSON, the
 * weekly Markdown and HTML reports, the report webhook's Slack-style body, and the audit CSV and NDJSON exports.
 * Each shows the name as text: verbatim where the format carries text (JSON, NDJSON), escaped where it would
 * otherwise be markup, a mention, a link, a table cell or a spreadsheet formula.
 */
class HostileNamesIT {

    private static final List<String> HOSTILE = HostileNames.ALL;
    private static final Instant WEEK = Instant.parse("2026-11-16T00:00:00Z"); // Monday of 2026-W47
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    // no server in its scope: the team's report covers every server, hostile ones included
    private static final List<SloDefinition> SLOS = List.of(new SloDefinition("fleet-availability", "devtools", "",
            new SloScope(null, null, null), new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.99),
            WINDOW, AlertPolicy.defaultsFor(WINDOW)));
    private static ClickHouseClient client;
    private static Javalin app;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("hostile");
        var store = new ClickHousePipelineStore(client, Clock.systemUTC());
        store.prepare();
        List<CallRollup> rollups = new ArrayList<>();
        List<ChainedAudit> audits = new ArrayList<>();
        AuditChain.Link link = null;
        List<String> actors = new ArrayList<>(HOSTILE);
        actors.add("\ttab first");
        actors.add("\rcarriage return first");
        for (int n = 0; n < HOSTILE.size(); n++) {
            String name = HOSTILE.get(n);
            Instant minute = WEEK.plus(Duration.ofHours(n + 1));
            CallRollup rollup = CallRollup.empty(new RollupKey(name, name, "1.0", minute));
            for (int i = 0; i < 5; i++) {
                var envelope = new EventEnvelope(UUID.randomUUID(), minute.plusSeconds(i), "gw", name, "1.0", name,
                        "tools/call", null, null, null, null, null, null);
                rollup = rollup.plus(new CallEvent(envelope, 20.0, i < 2 ? Outcome.TRANSPORT_ERROR : Outcome.OK, null,
                        null, null, null));
            }
            rollups.add(rollup);
        }
        for (int n = 0; n < actors.size(); n++) {
            String name = actors.get(n);
            var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofHours(n + 1)), "gw", name, null,
                    name, "tools/call", null, name, name, "devtools", null, null);
            var event = new AuditEvent(envelope, name, name, "server.disable", name, null, AuditEvent.Decision.DENY,
                    name, name, name);
            link = AuditChain.next(link, 0, event);
            audits.add(new ChainedAudit(event, link, NOW));
        }
        store.write(new PipelineStore.Batch(List.of(), List.of(), rollups, List.of(), List.of(), List.of(), audits,
                List.of()));
        app = ApiTestKit.start(client, () -> SLOS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        app.stop();
        ClickHouseTestSupport.drop(client);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void apiJsonCarriesEveryNameVerbatim() {
        String range = "from=" + WEEK + "&to=" + WEEK.plus(Duration.ofDays(7));
        HttpResponse<String> listed = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/tools?step=all&" + range, null);
        assertEquals(200, listed.statusCode(), listed.body());
        JsonNode tools = ApiTestKit.json(listed);
        Set<String> names = new HashSet<>();
        tools.get("tools").forEach(tool -> names.add(tool.get("tool").asText()));
        assertEquals(new HashSet<>(HOSTILE), names);
        for (String name : HOSTILE) {
            HttpResponse<String> response = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/failures?step=all&"
                    + range + "&server=" + encode(name), null);
            if (name.length() > 200) {
                assertEquals(400, response.statusCode(), "filters are at most 200 characters");
                assertEquals("server", ApiTestKit.json(response).get("field").asText());
                continue;
            }
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode body = ApiTestKit.json(response);
            assertEquals(name, body.get("server").asText());
            assertEquals(5, body.get("points").get(0).get("calls").asLong(), "exactly that server's calls: " + name);
        }
    }

    @Test
    void markdownReportAndItsWebhookBodyKeepNamesAsText() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        try {
            var service = new ReportService(new ClickHouseReportStore(client), () -> SLOS, ZoneId.of("UTC"),
                    Optional.of(URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook")),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            service.generate("devtools", "2026-W47");
        } finally {
            hook.stop(0);
        }
        assertEquals(1, bodies.size());
        String text = EventCodec.MAPPER.readTree(bodies.get(0)).get("text").asText();
        String stored = ApiTestKit.call(app, ApiTestKit.devtools, "GET", "/api/v1/reports/devtools/2026-W47.md", null)
                .body();
        assertEquals(stored, text, "the webhook gets the stored Markdown");
        // Slack: no mention, no channel link, no labelled link, no user link: its control characters are entities
        assertFalse(text.contains("<") || text.contains(">"), text);
        // Markdown: every worst-tools row still has its five cells, each holding its name exactly
        List<String> rows = text.lines().filter(line -> line.startsWith("| ") && line.endsWith(" | 5 | 0 | 2 |")).toList();
        assertEquals(5, rows.size(), text);
        for (String row : rows) {
            List<String> cells = HostileNames.markdownCells(row);
            assertEquals(5, cells.size(), row);
            assertEquals(cells.get(0), cells.get(1), "server and tool bear the same name: " + row);
            assertTrue(HOSTILE.contains(cells.get(0)), "a name shows as itself: " + cells.get(0));
        }
    }

    @Test
    void htmlReportShowsNamesAsTextOnly() {
        ApiTestKit.call(app, ApiTestKit.sre, "POST", "/api/v1/reports", "{\"team\":\"devtools\",\"week\":\"2026-W47\"}");
        String html = ApiTestKit.call(app, ApiTestKit.sre, "GET", "/api/v1/reports/devtools/2026-W47.html", null).body();
        assertFalse(html.contains("<script") || html.contains("<img"), html);
        Matcher cells = Pattern.compile("<tr><td>([^<]*)</td><td>([^<]*)</td><td class=\"n\">5</td>").matcher(html);
        int rows = 0;
        while (cells.find()) {
            String server = HostileNames.htmlText(cells.group(1));
            assertTrue(HOSTILE.contains(server), server);
            rows++;
        }
        assertEquals(5, rows, html);
    }

    @Test
    void csvExportNeutralisesFormulaCellsAndNdjsonKeepsTheValues() {
        HttpResponse<String> csv = ApiTestKit.call(app, ApiTestKit.auditor, "GET", "/api/v1/audit/export?format=csv", null);
        assertEquals(200, csv.statusCode(), csv.body());
        List<List<String>> rows = parseCsv(csv.body());
        List<String> header = rows.get(0);
        int actor = header.indexOf("actor");
        int reason = header.indexOf("reason");
        assertEquals(HOSTILE.size() + 3, rows.size(), "header and every event");
        Set<String> actors = new HashSet<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            for (String cell : row) {
                assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0, "formula cell " + cell);
            }
            actors.add(row.get(actor));
            assertEquals(row.get(actor), row.get(reason));
        }
        assertTrue(actors.contains("'=HYPERLINK(\"https://example.invalid\",\"open\")"), actors.toString());
        assertTrue(actors.contains("'+1+cmd|' /C calc'!A0") && actors.contains("'-2+3") && actors.contains("'\ttab first")
                && actors.contains("'\rcarriage return first") && actors.contains("'@SUM(1+1)*cmd|' /C calc'!A0"));
        assertTrue(actors.contains("a' OR 1=1 OR '") && actors.contains("<!channel> <https://example.invalid|re-login>"),
                "other cells are unchanged");

        // a filter on the neutralised column still finds the stored value
        HttpResponse<String> filtered = ApiTestKit.call(app, ApiTestKit.auditor, "GET",
                "/api/v1/audit/export?format=csv&actor=" + encode("-2+3"), null);
        assertEquals(2, parseCsv(filtered.body()).size(), filtered.body());

        HttpResponse<String> ndjson = ApiTestKit.call(app, ApiTestKit.auditor, "GET", "/api/v1/audit/export?format=ndjson",
                null);
        Set<String> raw = new HashSet<>();
        ndjson.body().lines().forEach(line -> {
            try {
                raw.add(EventCodec.MAPPER.readTree(line).get("actor").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(raw.containsAll(HOSTILE) && raw.contains("\ttab first"), "NDJSON is data, not a spreadsheet");
    }

    /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}

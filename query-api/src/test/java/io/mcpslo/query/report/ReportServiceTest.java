package io.mcpslo.query.report;

import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.storage.report.ReportStore;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The weekly schedule against an in-memory store: one team's failure must not cost the other teams their report. */
class ReportServiceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    private static SloDefinition slo(String team, String server) {
        var window = new RollingWindow(Duration.ofDays(30));
        return new SloDefinition(team + "-availability", team, "", new SloScope(server, null, null),
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.99), window,
                AlertPolicy.defaultsFor(window));
    }

    @Test
    void aVersionSuffixTooLongForAnIntIsPartOfTheNameNotAVersion() {
        var thisWeek = List.of(new ToolFailures("jira", "search_v1", 10, 0, 0),
                new ToolFailures("jira", "search_v2", 30, 0, 0),
                new ToolFailures("jira", "search_v99999999999", 5, 0, 0));
        List<WeeklyReport.Migration> migrations = ReportBuilder.migrations(thisWeek, List.of());
        assertEquals(1, migrations.size());
        assertEquals(List.of("search_v1", "search_v2"),
                migrations.get(0).versions().stream().map(WeeklyReport.VersionShare::tool).toList());
    }

    @Test
    void aTeamWhoseReportFailsIsReportedAndTheTeamsAfterItStillGetTheirs() {
        var store = new InMemoryReportStore();
        var service = new ReportService(store, () -> List.of(slo("alpha", "broken"), slo("beta", "jira")),
                ZoneOffset.UTC, Optional.empty(), CLOCK);

        assertEquals(List.of("alpha"), service.generateDue());
        assertEquals(List.of("beta/2026-W47.md", "beta/2026-W47.html"),
                store.saved.stream().map(r -> r.team() + "/" + r.isoWeek() + "." + r.format()).toList());
    }

    @Test
    void aToolWithAHugeVersionSuffixDoesNotBreakTheReport() {
        var store = new InMemoryReportStore();
        var service = new ReportService(store, () -> List.of(slo("beta", "jira")), ZoneOffset.UTC, Optional.empty(),
                CLOCK);
        store.tools = List.of(new ToolFailures("jira", "a_v99999999999", 7, 1, 0));

        assertEquals(List.of(), service.generateDue());
        assertEquals(2, store.saved.size());
    }

    @Test
    void theWebhookCanCarryThePdfRenderedFromTheHtml() {
        var store = new InMemoryReportStore();
        var withPdf = new ReportService(store, () -> List.of(slo("beta", "jira")), ZoneOffset.UTC,
                Optional.of(java.net.URI.create("http://127.0.0.1:9/unused")), true, CLOCK);
        String html = ReportRenderer.html(ReportRendererTest.report());
        var body = withPdf.webhookBody("beta", "2026-W47", "# md", html).json();
        assertEquals("beta-2026-W47.pdf", body.get("pdf_name").asText());
        byte[] pdf = java.util.Base64.getDecoder().decode(body.get("pdf_base64").asText());
        assertEquals("%PDF-", new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals("# md", body.get("text").asText());
        var without = new ReportService(store, () -> List.of(slo("beta", "jira")), ZoneOffset.UTC, Optional.empty(),
                CLOCK);
        List<String> fields = new ArrayList<>();
        without.webhookBody("beta", "2026-W47", "# md", html).json().fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("schema", "team", "week", "text"), fields);
    }

    /** Knows no traffic; reading the tools of server "broken" fails as a ClickHouse outage would. */
    private static final class InMemoryReportStore implements ReportStore {
        final List<StoredReport> saved = new ArrayList<>();
        List<ToolFailures> tools = List.of();

        @Override
        public Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency) {
            return Map.of();
        }

        @Override
        public SketchBins latency(SloScope scope, Instant from, Instant to) {
            return SketchBins.EMPTY;
        }

        @Override
        public List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to) {
            if (servers.contains("broken")) {
                throw new IllegalStateException("ClickHouse answered 500");
            }
            return tools;
        }

        @Override
        public List<Map<String, String>> alertTransitions(String sloId, Instant from, Instant to) {
            return List.of();
        }

        @Override
        public void save(StoredReport report) {
            saved.add(report);
        }

        @Override
        public List<StoredReport> list(List<String> teams, int limit) {
            return saved.stream().filter(r -> teams.contains(r.team())).limit(limit).toList();
        }

        @Override
        public Optional<StoredReport> find(String team, String isoWeek, String format) {
            return saved.stream().filter(r -> r.team().equals(team) && r.isoWeek().equals(isoWeek)
                    && r.format().equals(format)).findFirst();
        }
    }
}

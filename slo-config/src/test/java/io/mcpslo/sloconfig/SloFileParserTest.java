package io.mcpslo.sloconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.CalendarWindow;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyPercentileSli;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.TimeslicedSli;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloFileParserTest {

    private final SloFileParser parser = new SloFileParser(Map.of("PD_KEY", "R0UT1NG")::get);

    private static final String GOOD = """
            apiVersion: mcp-slo/v1
            kind: SLO
            id: github-transport
            team: devtools
            description: GitHub answers
            scope: {server: github}
            sli:
              availability: {failures: transport}
            objective: "99.9%"
            window: 30d
            ---
            apiVersion: mcp-slo/v1
            kind: SLO
            id: github-search-p95
            team: devtools
            scope: {server: github, tool: search_code_v2}
            sli:
              latency_percentile: {percentile: 95, max_ms: 1200}
            objective: 0.99
            window: {calendar: month, time_zone: Europe/Paris}
            alerting:
              min_events: 100
              pending_for: 2m
              rules:
                - {severity: page, long_window: 1h, short_window: 5m, burn_rate: 10}
            ---
            apiVersion: mcp-slo/v1
            kind: Receiver
            name: oncall
            type: pagerduty
            url: http://127.0.0.1:9999/v2/enqueue
            routing_key: ${PD_KEY}
            teams: [devtools]
            severities: [page]
            """;

    @Test
    void readsSlosAndReceiversFromOneFileWithDefaultsWhereSilent() {
        SloFile file = parser.parse("github.yaml", GOOD);
        assertEquals(java.util.List.of(), file.errors());
        assertEquals(2, file.slos().size());
        var transport = file.slos().get(0);
        assertEquals(new SloScope("github", null, null), transport.scope());
        assertEquals(new AvailabilitySli(FailureLocus.TRANSPORT, false, false), transport.sli());
        assertEquals(0.999, transport.objective().target(), 1e-12);
        assertEquals(new RollingWindow(Duration.ofDays(30)), transport.window());
        assertEquals(4, transport.alerting().rules().size(), "Workbook rules by default");
        assertEquals(14.4, transport.alerting().rules().get(0).burnRateThreshold(), 1e-9);

        var latency = file.slos().get(1);
        assertEquals(new LatencyPercentileSli(0.95, 1200), latency.sli());
        assertEquals(new CalendarWindow(CalendarWindow.Period.MONTH, ZoneId.of("Europe/Paris")), latency.window());
        assertEquals(100, latency.alerting().minEvents());
        assertEquals(Duration.ofMinutes(2), latency.alerting().pendingFor());
        assertEquals(1, latency.alerting().rules().size());

        var receiver = file.receivers().get(0);
        assertEquals(ReceiverType.PAGERDUTY, receiver.type());
        assertEquals("R0UT1NG", receiver.routingKey(), "secrets come from the environment");
        assertEquals(Set.of(Severity.PAGE), receiver.severities());
    }

    @Test
    void aSliceTargetTurnsARatioIntoTimeslices() {
        SloFile file = parser.parse("x.yaml", """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: sliced
                team: t
                sli: {availability: {failures: both, slice_target: 0.95}}
                objective: 0.99
                window: 7d
                """);
        assertInstanceOf(TimeslicedSli.class, file.slos().get(0).sli(), file.errors().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown field         | colour: blue                     | 8  | colour     | unknown field
            objective 1.5         | objective: 1.5                   | 8  | objective  | must be between 0 and 1
            objective as text     | objective: high                  | 8  | objective  | must be a fraction
            window banana         | window: banana                   | 8  | window     | must be a duration
            window of 10 minutes  | window: 10m                      | 8  | window     | between 1h and 400d
            unknown time zone     | window: {calendar: month, time_zone: Mars/Base} | 8 | window.time_zone | not a time zone
            unknown calendar      | window: {calendar: fortnight}    | 8  | window.calendar | week, month or quarter
            SQL in the team       | team: "x'; DROP TABLE calls; --" | 8  | team       | lower-case letters
            """)
    void badValuesAreRefusedWithFileLineAndField(String name, String line, int lineNumber, String field, String message) {
        String base = """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: broken
                team: t
                sli: {availability: {failures: both}}
                objective: 0.99
                window: 30d
                """;
        String key = line.substring(0, line.indexOf(':'));
        String text = base.lines().anyMatch(l -> l.startsWith(key + ":"))
                ? base.lines().map(l -> l.startsWith(key + ":") ? line : l).reduce((a, b) -> a + "\n" + b).orElseThrow()
                        + "\n"
                : base + line + "\n";
        SloFile file = parser.parse("bad.yaml", text);
        assertFalse(file.accepted(), name);
        ConfigProblem problem = file.errors().get(0);
        assertEquals("bad.yaml", problem.file());
        assertEquals(field, problem.field(), problem.toString());
        assertTrue(problem.message().contains(message), problem.toString());
        assertTrue(problem.line() > 0 && problem.line() <= lineNumber, problem.toString());
        assertTrue(file.slos().isEmpty(), "a bad file is refused whole");
    }

    @Test
    void unknownFieldNamesItsLine() {
        SloFile file = parser.parse("bad.yaml", """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: broken
                team: t
                sli:
                  availability: {failures: both, colour: blue}
                objective: 0.99
                window: 30d
                """);
        assertEquals("bad.yaml:6: sli.availability.colour: unknown field (allowed here: denied_burns, failures, "
                + "rate_limited_burns, slice_target)", file.errors().get(0).toString());
    }

    @Test
    void duplicateIdInOneFileRefusesTheFile() {
        String slo = """
                apiVersion: mcp-slo/v1
                kind: SLO
                id: twice
                team: t
                sli: {availability: {}}
                objective: 0.99
                window: 30d
                """;
        SloFile file = parser.parse("dup.yaml", slo + "---\n" + slo);
        assertFalse(file.accepted());
        assertEquals("dup.yaml:9: id: \"twice\" is defined twice in this file", file.errors().get(0).toString());
        assertTrue(file.slos().isEmpty());
    }

    @Test
    void malformedHostileAndOversizedInputIsRefusedNotCrashedOn() {
        assertTrue(parser.parse("x.yaml", "apiVersion: [unclosed").errors().get(0).message().contains("not valid YAML"));
        assertTrue(parser.parse("x.yaml", "- just\n- a list\n").errors().get(0).message().contains("mapping"));
        String laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
        assertFalse(parser.parse("bomb.yaml", laughs).accepted());
        assertTrue(parser.parse("big.yaml", "description: " + "x".repeat(SloFileParser.MAX_FILE_BYTES + 1))
                .errors().get(0).message().contains("larger than"));
        assertTrue(parser.parse("x.yaml", "apiVersion: mcp-slo/v1\nkind: SLO\nkind: Receiver\n")
                .errors().get(0).message().contains("appears twice"));
        assertTrue(parser.parse("x.yaml", "apiVersion: prometheus/v1\nkind: SLO\n")
                .errors().get(0).toString().contains("apiVersion: must be mcp-slo/v1 or openslo/v1"));
        assertTrue(parser.parse("empty.yaml", "").accepted(), "an empty file is no error");
    }

    @Test
    void receiverSecretFromAMissingEnvironmentVariableIsRefusedByName() {
        SloFile file = new SloFileParser(name -> null).parse("r.yaml", """
                apiVersion: mcp-slo/v1
                kind: Receiver
                name: oncall
                type: pagerduty
                url: https://events.pagerduty.com/v2/enqueue
                routing_key: ${PD_KEY}
                """);
        assertEquals("r.yaml:6: routing_key: names the environment variable PD_KEY, which is not set",
                file.errors().get(0).toString());
        assertTrue(new SloFileParser(name -> null).parse("r.yaml", """
                apiVersion: mcp-slo/v1
                kind: Receiver
                name: hook
                type: carrier-pigeon
                url: http://x
                """).errors().get(0).toString().contains("type: must be webhook, pagerduty, alertmanager or slack"));
        assertNull(parser.parse("r.yaml", GOOD).receivers().get(0).url().getUserInfo());
    }
}

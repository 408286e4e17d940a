package io.mcpslo.sloconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.CalendarWindow;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.TimeslicedSli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The OpenSLO specification's own examples (unmodified copies in test resources), and what we make of them. */
class OpenSloImportTest {

    private final SloFileParser parser = new SloFileParser(name -> null);

    private static String example(String name) throws IOException {
        try (InputStream in = OpenSloImportTest.class.getResourceAsStream("/openslo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private ConfigProblem refusal(String name) throws IOException {
        SloFile file = parser.parse(name, example(name));
        assertFalse(file.accepted(), name + " should be refused");
        return file.errors().get(0);
    }

    @Test
    void realExamplesWithMetricSourceAnyAreRefusedSayingWhatToWriteInstead() throws IOException {
        ConfigProblem threshold = refusal("occurrences-threshold-2w.yaml");
        assertEquals("spec.indicator.spec.thresholdMetric.metricSource.type", threshold.field());
        assertEquals(17, threshold.line());
        assertTrue(threshold.message().contains("\"Any\" names no source mcp-slo can read; write type: mcp-slo"),
                threshold.message());
        ConfigProblem week = refusal("timeslices-calendar-week-low-traffic.yaml");
        assertEquals("spec.indicator.spec.ratioMetric.total.metricSource.type", week.field());
    }

    @Test
    void ratioTimeslicesAndTheOneMinuteCalendarMonthAreRefusedWithTheirOwnReasons() throws IOException {
        String ratioTimeslices = example("ratio-timeslices-2w.yaml").replace("type: Any", "type: mcp-slo")
                .replace("query: Any # 'query' is just an example field.", "server: web-shop");
        ConfigProblem ratio = parser.parse("ratio.yaml", ratioTimeslices).errors().get(0);
        assertEquals("spec.budgetingMethod", ratio.field());
        assertTrue(ratio.message().startsWith("RatioTimeslices (the mean of per-slice ratios) is not supported"));

        String month = example("timeslices-calendar-month.yaml").replace("type: Any", "type: mcp-slo")
                .replace("query: Any # 'query' is just an example field.", "server: web");
        ConfigProblem minute = parser.parse("month.yaml", month).errors().get(0);
        assertEquals("spec.timeWindow[0].duration", minute.field());
        assertTrue(minute.message().contains("1m is one minute in OpenSLO") && minute.message().contains("write 1M"),
                minute.message());
    }

    @Test
    void examplesPointedAtOurCallsLoadWithTheirWindowsBudgetingAndObjectives() throws IOException {
        SloFile threshold = parser.parse("threshold.yaml", example("occurrences-threshold-2w.yaml")
                .replace("type: Any # Here put any service that holds information you need.", "type: mcp-slo")
                .replace("          spec:\n            # Fields needed to query service for latency data.\n",
                        "          spec: {server: web-shop, tool: search}\n")
                .replace("alertPolicies: #", "alertPolicies: [search-fast-burn] #"));
        assertTrue(threshold.accepted(), threshold.errors().toString());
        var search = threshold.slos().get(0);
        assertEquals("search-slo", search.id());
        assertEquals("web-shop", search.team(), "spec.service stands in for the team");
        assertEquals(new SloScope("web-shop", "search", null), search.scope());
        assertEquals(new LatencyThresholdSli(500), search.sli());
        assertEquals(new RollingWindow(Duration.ofDays(14)), search.window());
        assertEquals(0.99, search.objective().target(), 1e-12);
        assertEquals("spec.alertPolicies", threshold.warnings().get(0).field(), "alert policies are not imported");

        SloFile month = parser.parse("month.yaml", example("timeslices-calendar-month.yaml")
                .replace("type: Any # Any service with needed metrics", "type: mcp-slo")
                .replace("query: Any # 'query' is just an example field.", "server: web")
                .replace("duration: 1m # Contracts", "duration: 1M # Contracts"));
        assertTrue(month.accepted(), month.errors().toString());
        assertEquals(2, month.slos().size(), "one SLO per objective");
        assertEquals("service-availability-internal-objective", month.slos().get(0).id());
        assertEquals("service-availability-sla", month.slos().get(1).id());
        assertEquals(new TimeslicedSli(new AvailabilitySli(FailureLocus.BOTH, false, false), 0.99),
                month.slos().get(0).sli());
        assertEquals(new CalendarWindow(CalendarWindow.Period.MONTH, ZoneId.of("America/New_York"),
                LocalDateTime.of(2022, 1, 1, 12, 0)), month.slos().get(0).window());
        assertEquals(0.995, month.slos().get(0).objective().target(), 1e-12);
    }
}

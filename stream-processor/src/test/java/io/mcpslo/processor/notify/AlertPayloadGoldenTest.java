package io.mcpslo.processor.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SloAlerting;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.BurnRateEvaluator;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.ErrorBudget;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.testing.GoldenFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every receiver's body for a page that fires and resolves and for a ticket, pinned by golden files. The
 * transitions come from the engine, for objectives as a YAML file or an import gives them (0.9990000000000001 is
 * 99.9 % parsed as a double): the human text reads "99.9 % over 30 days", the machine fields keep exact values.
 */
class AlertPayloadGoldenTest {

    private static final Instant T0 = Instant.parse("2026-11-25T09:58:00Z");
    private static final String LINKS = "https://slo.example.com/api/v1/slos/";

    static Stream<Arguments> bodies() {
        List<AlertTransition> page = page();
        AlertTransition ticket = ticket();
        return Stream.of(ReceiverType.values()).flatMap(type -> Stream.of(
                Arguments.of(type, "page-firing", page.get(0)),
                Arguments.of(type, "page-resolved", page.get(1)),
                Arguments.of(type, "ticket-firing", ticket)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bodies")
    void bodyIsPinnedByItsGoldenFile(ReceiverType type, String scenario, AlertTransition transition) throws IOException {
        AlertPayload body = AlertPayloads.body(receiver(type), transition, LINKS + transition.sloId());
        String version = switch (body) {
            case WebhookAlertV1 b -> "webhook-v1";
            case PagerDutyEventV1 b -> "pagerduty-v1";
            case AlertmanagerWebhookV1 b -> "alertmanager-v1";
            case SlackMessageV1 b -> "slack-v1";
        };
        GoldenFile.assertMatches(AlertPayloadGoldenTest.class, version + "-" + scenario + ".json", body.json(), body.bytes());
    }

    /** An acknowledgement made through the API, as a PagerDuty receiver that was paged for the incident gets it. */
    @Test
    void pagerDutyAcknowledgeIsPinnedByItsGoldenFile() throws IOException {
        AlertTransition fired = page().get(0);
        var ack = new Acknowledgement(fired.dedupKey(), "sre-sam", "looking into it", T0.plusSeconds(30));
        PagerDutyEventV1 body = PagerDutyEventV1.acknowledge(receiver(ReceiverType.PAGERDUTY).routingKey(), ack);
        GoldenFile.assertMatches(AlertPayloadGoldenTest.class, "pagerduty-v1-page-acknowledged.json", body.json(),
                body.bytes());
        assertFalse(new String(body.bytes(), StandardCharsets.UTF_8).contains("looking into it"),
                "who acknowledged and why stay in mcp-slo: PagerDuty's acknowledge takes no text");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bodies")
    void humanTextStatesTheObjectiveInPercentAndTheWindowInWords(ReceiverType type, String scenario,
                                                                 AlertTransition transition) {
        String sent = new String(AlertPayloads.body(receiver(type), transition, LINKS + transition.sloId()).bytes(),
                StandardCharsets.UTF_8);
        String target = scenario.startsWith("page") ? "99.9 % over 30 days" : "99.95 % over 7 days";
        boolean carriesText = !(type == ReceiverType.PAGERDUTY && scenario.equals("page-resolved"));
        assertEquals(carriesText, sent.contains("objective " + target), sent);
        assertFalse(sent.contains("0.999000") || sent.contains("d rolling"), sent);
    }

    private static ReceiverConfig receiver(ReceiverType type) {
        return new ReceiverConfig("oncall-" + type.name().toLowerCase(Locale.ROOT), type,
                URI.create("https://hooks.example.com/x"),
                type == ReceiverType.PAGERDUTY ? "R0UTINGKEY0000000000000000000000" : null, Set.of(), Set.of());
    }

    /** A 30-day SLO of 99.9 % (as parsed: 0.9990000000000001) that pages at once and resolves a minute later. */
    private static List<AlertTransition> page() {
        var window = new RollingWindow(Duration.ofDays(30));
        var slo = new SloDefinition("jira-availability", "tracker", "Jira answers", new SloScope("jira", null, null),
                new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.9990000000000001), window,
                new AlertPolicy(MultiWindowRule.workbookDefaults(window.length()), 0, 0, Duration.ZERO, true));
        var burning = status(slo, T0, new EventCounts(99_958, 42), Map.of("5m", 30.0, "30m", 21.7, "1h", 20.0,
                "6h", 7.199999999999999, "1d", 2.0, "3d", 0.7), true, false);
        var fired = SloAlerting.advance(slo, burning, new EnumMap<>(AlertKind.class));
        var calm = status(slo, T0.plusSeconds(60), new EventCounts(99_958, 42), Map.of("5m", 0.0, "1h", 3.5), false,
                false);
        var resolved = SloAlerting.advance(slo, calm, fired.states());
        return List.of(only(fired.transitions(), AlertStatus.FIRING), only(resolved.transitions(), AlertStatus.RESOLVED));
    }

    /** A 7-day SLO of 99.95 % that opens a ticket. */
    private static AlertTransition ticket() {
        var window = new RollingWindow(Duration.ofDays(7));
        var slo = new SloDefinition("github-latency", "devtools", "", new SloScope("github", "search_code_v2", null),
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.9995), window,
                new AlertPolicy(MultiWindowRule.workbookDefaults(window.length()), 0, 0, Duration.ZERO, true));
        var slow = status(slo, T0, new EventCounts(49_990, 10), Map.of("1h", 1.2, "6h", 1.1, "1d", 1.05, "3d", 1.01),
                false, true);
        return only(SloAlerting.advance(slo, slow, Map.<AlertKind, AlertState>of()).transitions(), AlertStatus.FIRING);
    }

    private static SloStatus status(SloDefinition slo, Instant at, EventCounts counts, Map<String, Double> burnRates,
                                    boolean page, boolean ticket) {
        var budget = ErrorBudget.of(slo.objective(), counts, EventCounts.NONE);
        List<BurnRateEvaluator.RuleState> rules = slo.alerting().rules().stream()
                .map(rule -> new BurnRateEvaluator.RuleState(rule,
                        burnRates.getOrDefault(DurationText.format(rule.longWindow()), 0.0),
                        burnRates.getOrDefault(DurationText.format(rule.shortWindow()), 0.0), false,
                        rule.severity() == Severity.PAGE ? page : ticket))
                .toList();
        return new SloStatus(slo.id(), slo.team(), at, at.minus(slo.window().nominalLength()), at,
                (double) counts.good() / (counts.good() + counts.bad()), slo.objective().target(), budget, burnRates,
                rules, page, ticket, false);
    }

    private static AlertTransition only(List<AlertTransition> transitions, AlertStatus to) {
        assertEquals(1, transitions.size(), transitions.toString());
        assertEquals(to, transitions.get(0).to());
        return transitions.get(0);
    }
}

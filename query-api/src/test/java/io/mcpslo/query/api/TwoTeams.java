package io.mcpslo.query.api;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.storage.pipeline.PipelineStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Two teams and their data, for the role tests on either storage: devtools owns github (10 calls, a firing page),
 * tracker owns jira (20 calls, a firing page), by their SLOs' scopes.
 */
final class TwoTeams {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private TwoTeams() {
    }

    static List<SloDefinition> slos() {
        return List.of(slo("github-transport", "devtools", "github"), slo("jira-availability", "tracker", "jira"));
    }

    static SloDefinition slo(String id, String team, String server) {
        var window = new RollingWindow(Duration.ofDays(30));
        return new SloDefinition(id, team, "", new SloScope(server, null, null),
                new AvailabilitySli(FailureLocus.BOTH, false, false), new Objective(0.99), window,
                AlertPolicy.defaultsFor(window));
    }

    static void write(PipelineStore store) {
        List<AlertTransition> alerts = new ArrayList<>();
        for (String[] slo : new String[][] {{"github-transport", "devtools"}, {"jira-availability", "tracker"}}) {
            alerts.add(new AlertTransition(slo[0], slo[1], AlertKind.PAGE, Severity.PAGE, AlertStatus.INACTIVE,
                    AlertStatus.FIRING, NOW.minusSeconds(60), NOW.minusSeconds(60), "mcp-slo:" + slo[0] + ":page:1",
                    "burning", Map.of(), 0.5, "page-1h-5m"));
        }
        // devtools owns github (10 calls), tracker owns jira (20 calls), by their SLOs' scopes
        List<CallRollup> rollups = new ArrayList<>();
        List<CallEvent> calls = new ArrayList<>();
        for (String server : List.of("github", "jira")) {
            CallRollup rollup = CallRollup.empty(new RollupKey(server, server + "_tool", "1.0", NOW.minusSeconds(1800)));
            for (int i = 0; i < (server.equals("github") ? 10 : 20); i++) {
                var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minusSeconds(1800 - i), "gw", server, "1.0",
                        server + "_tool", "tools/call", null, "sess-" + server, null, null, null, null);
                CallEvent call = new CallEvent(envelope, 12.0, Outcome.TRANSPORT_ERROR, null, null, null, null);
                rollup = rollup.plus(call);
                calls.add(call);
            }
            rollups.add(rollup);
        }
        store.write(new PipelineStore.Batch(calls, List.of(), rollups, alerts, List.of(), List.of(), List.of(),
                List.of()));
    }
}

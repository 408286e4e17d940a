package io.mcpslo.processor.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertPayloadsTest {

    @Test
    void slackTextShowsSlackControlSyntaxFromTheSummaryAsTypedAndKeepsOnlyItsOwnLink() {
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        var transition = new AlertTransition("jira-availability", "tracker", AlertKind.PAGE, Severity.PAGE,
                AlertStatus.PENDING, AlertStatus.FIRING, at, at, "mcp-slo:jira-availability:page:1",
                "<!channel> jira & <https://example.invalid|re-login> is burning", Map.of(), 0.5, "page-1h-5m");
        var slack = new ReceiverConfig("chat", ReceiverType.SLACK, URI.create("http://127.0.0.1:1/slack"), null,
                Set.of(), Set.of());
        String text = AlertPayloads.body(slack, transition, "http://127.0.0.1:8080/ui/slo.html?id=jira-availability")
                .json().get("text").asText();
        assertEquals(":rotating_light: &lt;!channel&gt; jira &amp; &lt;https://example.invalid|re-login&gt; is burning"
                + " <http://127.0.0.1:8080/ui/slo.html?id=jira-availability|details>", text);
    }

    @Test
    void pagerDutySummaryIsCutToPagerDutysLimitAndTheOtherBodiesKeepItWhole() {
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        String huge = "x".repeat(5_000);
        var transition = new AlertTransition("jira-availability", "tracker", AlertKind.PAGE, Severity.PAGE,
                AlertStatus.PENDING, AlertStatus.FIRING, at, at, "mcp-slo:jira-availability:page:1", huge, Map.of(),
                0.5, "page-1h-5m");
        var pagerDuty = new ReceiverConfig("pd", ReceiverType.PAGERDUTY, URI.create("http://127.0.0.1:1/pd"), "key",
                Set.of(), Set.of());
        String summary = AlertPayloads.body(pagerDuty, transition, "http://x/").json().get("payload").get("summary")
                .asText();
        assertEquals(1024, summary.length());
        assertEquals("x".repeat(1023) + "…", summary);
        var webhook = new ReceiverConfig("hook", ReceiverType.WEBHOOK, URI.create("http://127.0.0.1:1/hook"), null,
                Set.of(), Set.of());
        assertEquals(huge, AlertPayloads.body(webhook, transition, "http://x/").json().get("summary").asText());
    }
}

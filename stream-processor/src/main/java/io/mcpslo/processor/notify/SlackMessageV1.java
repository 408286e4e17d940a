package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.common.text.UntrustedText;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.schemas.EventCodec;

/**
 * Our Slack message, version 1, for an incoming webhook: one line of text, an icon for what happened, the human
 * summary (Slack's control characters in it shown as typed, so they cannot become mentions or links) and a link.
 */
public record SlackMessageV1(String icon, String summary, String link) implements AlertPayload {

    public static SlackMessageV1 of(AlertTransition transition, String sloLink) {
        String icon = transition.to() == AlertStatus.RESOLVED ? ":white_check_mark:"
                : transition.severity() == Severity.PAGE ? ":rotating_light:" : ":warning:";
        return new SlackMessageV1(icon, transition.summary(), sloLink);
    }

    @Override
    public ObjectNode json() {
        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("text", icon + " " + UntrustedText.slack(summary) + " <" + link + "|details>");
        return body;
    }
}

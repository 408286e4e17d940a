package io.mcpslo.processor.notify;

import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.ReceiverConfig;

/** The body each receiver type expects for an alert transition. */
final class AlertPayloads {

    private AlertPayloads() {
    }

    static AlertPayload body(ReceiverConfig receiver, AlertTransition transition, String sloLink) {
        return switch (receiver.type()) {
            case WEBHOOK -> WebhookAlertV1.of(transition, sloLink);
            case PAGERDUTY -> PagerDutyEventV1.of(receiver.routingKey(), transition, sloLink);
            case ALERTMANAGER -> AlertmanagerWebhookV1.of(receiver.name(), transition, sloLink);
            case SLACK -> SlackMessageV1.of(transition, sloLink);
        };
    }
}

package io.mcpslo.processor.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.EventCodec;
import java.io.UncheckedIOException;

/**
 * A request body sent to a receiver for an alert transition: a public contract, built from the domain values and
 * never from a topic's encoding, so the topics can change without changing what receivers get. Each type names
 * its version; its JSON is pinned by the golden files of {@code AlertPayloadGoldenTest}, and a change to it is a
 * new version, not an edit.
 */
public sealed interface AlertPayload permits WebhookAlertV1, PagerDutyEventV1, AlertmanagerWebhookV1, SlackMessageV1 {

    /** The body as JSON, members in the order they are sent. */
    ObjectNode json();

    /** The bytes sent. */
    default byte[] bytes() {
        try {
            return EventCodec.MAPPER.writeValueAsBytes(json());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

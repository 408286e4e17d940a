package io.mcpslo.processor.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.ValidationOutcome;
import io.mcpslo.schemas.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Validates raw events against the v1 contract. Events that fail become dead letters carrying the reason,
 * the original bytes and where they came from, so nothing disappears silently.
 */
final class ValidateProcessor implements FixedKeyProcessor<String, byte[], Routed> {

    private final EventValidator validator;
    private final Clock clock;
    private final Counter deadLetters;
    private FixedKeyProcessorContext<String, Routed> context;

    ValidateProcessor(EventValidator validator, Clock clock, MeterRegistry registry) {
        this.validator = validator;
        this.clock = clock;
        this.deadLetters = Counter.builder("mcp_processor_dead_letters")
                .description("Events refused by the stream and sent to the dead-letter topic").register(registry);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        ValidationOutcome outcome;
        if (record.value() == null) {
            outcome = new ValidationOutcome.Rejected(List.of(Violation.of("$", "required", "empty record value")));
        } else {
            try {
                outcome = validator.validate(EventCodec.parse(record.value()));
            } catch (JsonProcessingException e) {
                outcome = new ValidationOutcome.Rejected(List.of(
                        Violation.of("$", "json", "malformed JSON: " + e.getOriginalMessage())));
            }
        }
        switch (outcome) {
            case ValidationOutcome.Accepted accepted -> context.forward(record.withValue(switch (accepted.event()) {
                case CallEvent call -> new Routed.Call(call);
                case AuditEvent audit -> new Routed.Audit(audit);
            }));
            case ValidationOutcome.Rejected rejected -> {
                deadLetters.increment();
                byte[] deadLetter = deadLetter(rejected, record.value());
                context.forward(record.withValue(new Routed.Refused(deadLetter))
                        .withHeaders(record.headers().add("mcp.dlq.reason",
                                abbreviate(rejected.summary()).getBytes(StandardCharsets.UTF_8))));
            }
        }
    }

    private byte[] deadLetter(ValidationOutcome.Rejected rejected, byte[] original) {
        ObjectNode letter = EventCodec.MAPPER.createObjectNode();
        letter.put("error", rejected.summary());
        ArrayNode violations = letter.putArray("violations");
        for (Violation violation : rejected.violations()) {
            violations.addObject().put("field", violation.field()).put("rule", violation.rule())
                    .put("message", violation.message());
        }
        letter.put("original", original == null ? null : new String(original, StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(meta -> letter.put("topic", meta.topic())
                .put("partition", meta.partition()).put("offset", meta.offset()));
        letter.put("rejected_at", clock.instant().toString());
        try {
            return EventCodec.MAPPER.writeValueAsBytes(letter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding a tree cannot fail", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 1_000 ? text : text.substring(0, 1_000) + "…";
    }
}

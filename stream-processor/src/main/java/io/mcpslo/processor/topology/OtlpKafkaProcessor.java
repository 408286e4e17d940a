package io.mcpslo.processor.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.otlp.McpOtlpMapping;
import io.mcpslo.otlp.OtlpDecoder;
import io.mcpslo.schemas.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads OTLP batches as the OpenTelemetry Collector's Kafka exporter writes them ({@code otlp_proto}: one export
 * request per record) and turns their MCP spans or audit log records into raw events through the same
 * {@link McpOtlpMapping} as the collector's OTLP endpoint; the events then take the ordinary validation path. An
 * unreadable record, and each refused span or record, becomes a dead letter with the reason.
 */
final class OtlpKafkaProcessor implements Processor<byte[], byte[], String, OtlpKafkaProcessor.Output> {

    /** Which OTLP signal the topic carries. */
    enum Signal { TRACES, LOGS }

    /** What the mapping emits, keyed for its topic: one raw event (contract JSON) or one dead letter. */
    sealed interface Output {
    }

    record Event(byte[] json) implements Output {
    }

    record Refused(byte[] deadLetter) implements Output {
    }

    private final Signal signal;
    private final Clock clock;
    private final McpOtlpMapping mapping = new McpOtlpMapping();
    private final MeterRegistry registry;
    private ProcessorContext<String, Output> context;

    OtlpKafkaProcessor(Signal signal, Clock clock, MeterRegistry registry) {
        this.signal = signal;
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        List<McpOtlpMapping.Mapped> mapped;
        try {
            mapped = switch (signal) {
                case TRACES -> mapping.spans(OtlpDecoder.traces(value, OtlpDecoder.Encoding.PROTOBUF), null);
                case LOGS -> mapping.logs(OtlpDecoder.logs(value, OtlpDecoder.Encoding.PROTOBUF), null);
            };
        } catch (OtlpDecoder.MalformedRequestException e) {
            count("rejected", "unreadable");
            ObjectNode letter = letter(e.getMessage(), "$");
            letter.put("original_base64", Base64.getEncoder().encodeToString(value));
            context.forward(new Record<>(null, new Refused(bytes(letter)), record.timestamp()));
            return;
        }
        for (McpOtlpMapping.Mapped item : mapped) {
            switch (item) {
                case McpOtlpMapping.Event event -> {
                    count("mapped", "mcp");
                    context.forward(new Record<>(partitionKey(event.json()),
                            new Event(bytes(event.json())), record.timestamp()));
                }
                case McpOtlpMapping.Refused refused -> {
                    count("rejected", "invalid");
                    ObjectNode letter = letter(refused.location() + ": " + refused.message(), refused.field());
                    letter.put("location", refused.location());
                    context.forward(new Record<>(null, new Refused(bytes(letter)), record.timestamp()));
                }
                case McpOtlpMapping.Ignored ignored -> count("ignored", ignored.reason());
            }
        }
    }

    /** The key raw events carry on their topic: server|tool, as the collector writes them. */
    private static String partitionKey(ObjectNode event) {
        return event.path("server").asText() + "|" + event.path("tool").asText("");
    }

    private ObjectNode letter(String error, String field) {
        ObjectNode letter = EventCodec.MAPPER.createObjectNode();
        letter.put("error", error);
        letter.putArray("violations").addObject().put("field", field).put("rule", "otlp").put("message", error);
        context.recordMetadata().ifPresent(meta -> letter.put("topic", meta.topic())
                .put("partition", meta.partition()).put("offset", meta.offset()));
        letter.put("rejected_at", clock.instant().toString());
        return letter;
    }

    private void count(String result, String reason) {
        Counter.builder("mcp_processor_otlp_items").tag("signal", signal.name().toLowerCase(java.util.Locale.ROOT))
                .tag("result", result).tag("reason", reason)
                .description("OTLP spans and log records read from Kafka: mapped to events, rejected, or ignored")
                .register(registry).increment();
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return EventCodec.MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding a tree cannot fail", e);
        }
    }
}

package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.kafka.Topics;
import io.mcpslo.otlp.OtlpFixtures;
import io.mcpslo.schemas.ArgsHash;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP batches on Kafka, as the OpenTelemetry Collector's Kafka exporter writes them, through the same mapping. */
class OtlpKafkaTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant START = NOW.minusSeconds(40);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> spans;
    private TestInputTopic<byte[], byte[]> logs;
    private TestOutputTopic<String, CallEvent> calls;
    private TestOutputTopic<String, AuditEvent> audit;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() throws Exception {
        var options = new PipelineTopology.Options(Clock.fixed(NOW, ZoneOffset.UTC),
                new LatenessPolicy(Duration.ofHours(6)), Duration.ofSeconds(1), Duration.ofMinutes(5), registry,
                List::of, Duration.ofSeconds(1), false, PipelineTopologyTest.TEST_AUDIT, new InMemorySloHistory(),
                Runnable::run);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "otlp-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-otlp-tt").toString());
        driver = new TopologyTestDriver(PipelineTopology.build(options,
                new PipelineTopology.OtlpTopics("site_otlp_spans", "site_otlp_logs")), props, NOW);
        spans = driver.createInputTopic("site_otlp_spans", new ByteArraySerializer(), new ByteArraySerializer());
        logs = driver.createInputTopic("site_otlp_logs", new ByteArraySerializer(), new ByteArraySerializer());
        calls = driver.createOutputTopic(Topics.CALLS.name(), new StringDeserializer(),
                Topics.CALLS.valueSerde().deserializer());
        audit = driver.createOutputTopic(Topics.AUDIT.name(), new StringDeserializer(),
                Topics.AUDIT.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static OtlpFixtures.SpanBuilder toolCall(String tool) {
        return OtlpFixtures.span(Span.SpanKind.SPAN_KIND_CLIENT, START, 12_000_000L)
                .attribute("mcp.method.name", "tools/call").attribute("gen_ai.tool.name", tool)
                .attribute("server.address", "jira");
    }

    @Test
    void mcpSpansOfABatchBecomeValidatedCallsKeyedByServerAndTool() {
        spans.pipeInput(OtlpFixtures.traces(OtlpFixtures.resource("gateway-eu", "1.2.0"),
                toolCall("jira_search").build(),
                toolCall("jira_search").attribute("error.type", "tool_error").build(),
                OtlpFixtures.span(Span.SpanKind.SPAN_KIND_INTERNAL, START, 1L).build()).toByteArray());
        var stored = calls.readKeyValuesToList();
        assertEquals(2, stored.size());
        assertEquals("jira|jira_search", stored.get(0).key);
        CallEvent first = stored.get(0).value;
        assertEquals("gateway-eu", first.envelope().source(), "no token on Kafka: the service is the source");
        assertEquals("jira", first.envelope().server());
        assertEquals(12.0, first.durationMs(), 1e-9);
        assertEquals(Outcome.TOOL_ERROR, stored.get(1).value.outcome());
        assertTrue(deadLetters.isEmpty());
        assertEquals(1.0, registry.get("mcp_processor_otlp_items").tag("reason", "not_mcp").counter().count());
    }

    @Test
    void auditLogRecordsBecomeAuditEventsWithoutTheirArguments() {
        logs.pipeInput(OtlpFixtures.logs(OtlpFixtures.resource("jira", null), OtlpFixtures.log(START)
                .attribute("audit.action", "tools/call").attribute("audit.actor", "alice")
                .attribute("audit.decision", "deny").attribute("arguments", "{\"q\":\"secret\"}").build()).toByteArray());
        AuditEvent event = audit.readValue();
        assertEquals(ArgsHash.of("{\"q\":\"secret\"}"), event.argsHash());
        assertEquals(AuditEvent.Decision.DENY, event.decision());
    }

    @Test
    void anUnreadableRecordIsADeadLetterWithItsBytes() throws Exception {
        byte[] whole = OtlpFixtures.traces(OtlpFixtures.resource("g", null), toolCall("a").build()).toByteArray();
        spans.pipeInput(Arrays.copyOf(whole, whole.length - 3));
        JsonNode letter = EventCodec.MAPPER.readTree(deadLetters.readValue());
        assertTrue(letter.get("error").asText().contains("not a valid OTLP protobuf"), letter.toString());
        assertEquals("site_otlp_spans", letter.get("topic").asText());
        assertTrue(letter.has("original_base64"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void aRefusedSpanIsADeadLetterAndTheRestOfItsBatchIsTaken() throws Exception {
        spans.pipeInput(OtlpFixtures.traces(OtlpFixtures.resource("g", null), toolCall("a").build(),
                toolCall("b").endNanos(5).build(), toolCall("c").startNanos(1).endNanos(2).build()).toByteArray());
        assertEquals(List.of("a"), calls.readValuesToList().stream().map(call -> call.envelope().tool()).toList());
        List<JsonNode> letters = deadLetters.readValuesToList().stream().map(bytes -> {
            try {
                return EventCodec.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertEquals(2, letters.size());
        assertEquals("resourceSpans[0].scopeSpans[0].spans[1]", letters.get(0).get("location").asText());
        assertTrue(letters.get(0).get("error").asText().contains("end_time_unix_nano"));
        // the third maps, and the ordinary validation refuses its 1970 timestamp, naming the field
        assertEquals("ts", letters.get(1).get("violations").get(0).get("field").asText(), letters.get(1).toString());
    }
}

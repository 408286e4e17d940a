package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test: the hand-written call check against the JSON Schema files. Every event the fast path passes
 * must satisfy the schema; and ordinary events must take the fast path, or it buys nothing.
 */
class CallSchemaFastPathTest {

    private static final Path EXAMPLES = Path.of("src/main/resources/schemas/v1/examples");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final EventValidator validator = new EventValidator(Clock.systemUTC());

    @Test
    void everyValidCallExampleTakesTheFastPath() throws IOException {
        List<ObjectNode> calls = validCalls();
        assertTrue(calls.size() >= 3, "expected call examples in " + EXAMPLES.toAbsolutePath());
        for (ObjectNode call : calls) {
            assertTrue(CallSchemaFastPath.certainlyValid(call), () -> "fast path refused a valid call: " + call);
        }
    }

    @Test
    void nothingTheFastPathPassesBreaksTheSchema() throws IOException {
        List<JsonNode> variants = new ArrayList<>();
        for (ObjectNode call : validCalls()) {
            variants.addAll(mutations(call));
        }
        for (Path invalid : Files.list(EXAMPLES.resolve("invalid")).sorted().toList()) {
            variants.add(EventCodec.parse(Files.readAllBytes(invalid)));
        }
        int fast = 0;
        for (JsonNode variant : variants) {
            if (CallSchemaFastPath.certainlyValid(variant)) {
                fast++;
                List<Violation> violations = validator.callSchemaViolations(variant);
                assertTrue(violations.isEmpty(), () -> "fast path passed " + variant + " but the schema says "
                        + violations);
            }
        }
        int passed = fast;
        assertTrue(passed > variants.size() / 10, () -> "only " + passed + " of " + variants.size()
                + " variants took the fast path; the test would prove little");
    }

    @Test
    void theStreamingReadGivesWhatTheTreeGivesForEveryVariant() throws IOException {
        List<byte[]> inputs = new ArrayList<>();
        for (ObjectNode call : validCalls()) {
            inputs.add(EventCodec.MAPPER.writeValueAsBytes(call));
            for (JsonNode variant : mutations(call)) {
                inputs.add(EventCodec.MAPPER.writeValueAsBytes(variant));
            }
        }
        for (Path example : Files.list(EXAMPLES.resolve("invalid")).sorted().toList()) {
            inputs.add(Files.readAllBytes(example));
        }
        int streamed = 0;
        for (byte[] input : inputs) {
            String text = new String(input, StandardCharsets.UTF_8);
            JsonNode tree = EventCodec.parse(input);
            ValidationOutcome byTree = validator.validate(tree);
            assertEquals(byTree, validator.validate(input, 0, input.length), () -> "for " + text);
            CallEvent read = readStreaming(input);
            if (read != null) {
                streamed++;
                assertEquals(new ValidationOutcome.Accepted(read), byTree, () -> "streamed " + text);
            }
        }
        int taken = streamed;
        assertTrue(taken > inputs.size() / 10, () -> "only " + taken + " of " + inputs.size()
                + " inputs were read by streaming; the test would prove little");
    }

    @Test
    void everyValidCallExampleIsReadByStreaming() throws IOException {
        for (ObjectNode call : validCalls()) {
            byte[] input = EventCodec.MAPPER.writeValueAsBytes(call);
            CallEvent read = readStreaming(input);
            assertEquals(validator.validate(call), new ValidationOutcome.Accepted(read), () -> "for " + call);
        }
    }

    @Test
    void aRepeatedFieldAnOutOfRangeTimestampOrTrailingContentIsLeftToTheTree() throws IOException {
        String call = new String(EventCodec.MAPPER.writeValueAsBytes(validCalls().get(0)), StandardCharsets.UTF_8);
        String repeated = call.replaceFirst("\\{", "{\"server\":\"again\",");
        assertNull(readStreaming(repeated.getBytes(StandardCharsets.UTF_8)), repeated);
        byte[] repeatedBytes = repeated.getBytes(StandardCharsets.UTF_8);
        JsonProcessingException error = assertThrows(JsonProcessingException.class,
                () -> validator.validate(repeatedBytes, 0, repeatedBytes.length));
        assertTrue(error.getOriginalMessage().contains("Duplicate field 'server'"), error.getOriginalMessage());

        for (String ts : List.of("2099-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2026-02-30T12:00:00Z",
                "2026-02-30T12:00:00+01:00")) {
            ObjectNode changed = validCalls().get(0).put("ts", ts);
            byte[] input = EventCodec.MAPPER.writeValueAsBytes(changed);
            assertNull(readStreaming(input), ts);
            assertEquals(validator.validate(changed), validator.validate(input, 0, input.length), ts);
        }

        byte[] trailing = (call + " {}").getBytes(StandardCharsets.UTF_8);
        assertEquals(validator.validate(EventCodec.parse(trailing)), validator.validate(trailing, 0, trailing.length));
        byte[] framed = ("xx" + call + "yy").getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(ValidationOutcome.Accepted.class, validator.validate(framed, 2, framed.length - 4));
    }

    /** What the streaming read makes of one event, from a parser that, like the collector's, detects no duplicates. */
    private CallEvent readStreaming(byte[] input) throws IOException {
        try (JsonParser parser = EventCodec.MAPPER.getFactory().copy()
                .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).createParser(input)) {
            parser.nextToken();
            return validator.readCertainlyValidCall(parser);
        }
    }

    private static List<ObjectNode> validCalls() throws IOException {
        List<ObjectNode> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("valid"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode node = EventCodec.parse(Files.readAllBytes(file));
                if ("call".equals(node.path("kind").asText())) {
                    calls.add((ObjectNode) node);
                }
            }
        }
        return calls;
    }

    /** Each field of the event set to each awkward value, dropped, plus unknown fields; every field the schema knows. */
    private static List<JsonNode> mutations(ObjectNode call) {
        List<String> fields = List.of("event_id", "kind", "ts", "source", "server", "server_version", "tool", "method",
                "protocol_version", "session_id", "user", "team", "trace_id", "span_id", "duration_ms", "outcome",
                "error_code", "error_type", "retry", "response_bytes", "unknown", "arguments");
        List<JsonNode> out = new ArrayList<>();
        for (String field : fields) {
            ObjectNode without = call.deepCopy();
            without.remove(field);
            out.add(without);
            for (JsonNode value : awkwardValues()) {
                ObjectNode changed = call.deepCopy();
                changed.set(field, value);
                out.add(changed);
            }
        }
        ObjectNode toolsCallWithoutTool = call.deepCopy();
        toolsCallWithoutTool.put("method", "tools/call");
        toolsCallWithoutTool.remove("tool");
        out.add(toolsCallWithoutTool);
        return out;
    }

    private static List<JsonNode> awkwardValues() {
        List<JsonNode> values = new ArrayList<>(List.of(NODES.textNode(""), NODES.textNode("x"),
                NODES.textNode("x".repeat(10)), NODES.textNode("x".repeat(16)), NODES.textNode("x".repeat(32)),
                NODES.textNode("x".repeat(36)), NODES.textNode("x".repeat(200)), NODES.textNode("x".repeat(201)),
                NODES.textNode("é".repeat(512)), NODES.textNode("x".repeat(513)), NODES.textNode("a\u0000b"),
                NODES.textNode("a\u007fb"), NODES.textNode("a\u0085b"), NODES.textNode("tab\there"),
                NODES.textNode("line\n"), NODES.textNode("\ud83d\ude00"), NODES.textNode("lone\ud83d"),
                NODES.textNode("\ude00lone"), NODES.textNode("'; DROP TABLE calls; --"),
                NODES.textNode("call"), NODES.textNode("audit"), NODES.textNode("ok"), NODES.textNode("tools/call"),
                NODES.textNode("2025-06-18"), NODES.textNode("2025-6-18"),
                NODES.textNode("2026-11-25T12:00:00Z"), NODES.textNode("2026-11-25T12:00:00.123456789+01:00"),
                NODES.textNode("2026-11-25T12:00:00.1234567890Z"), NODES.textNode("2026-11-25 12:00:00Z"),
                NODES.textNode("2026-11-25T12:00:00"), NODES.textNode("2026-11-25T12:00:00+0100"),
                NODES.textNode("4bf92f3577b34da6a3ce929d0e0e4736"), NODES.textNode("4BF92F3577B34DA6A3CE929D0E0E4736"),
                NODES.textNode("00f067aa0ba902b7"), NODES.textNode("0f8fad5b-d9cb-469f-a165-70867728950e"),
                NODES.textNode("0F8FAD5B-D9CB-469F-A165-70867728950E"), NODES.textNode("0f8fad5bd9cb469fa16570867728950e"),
                NODES.textNode("0f8fad5b-d9cb-469f-a165-70867728950g"), NODES.textNode("12"),
                NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1), NODES.numberNode(1000),
                NODES.numberNode(1001), NODES.numberNode(1.5), NODES.numberNode(1.0), NODES.numberNode(-0.5),
                NODES.numberNode(86_400_000), NODES.numberNode(86_400_000.5), NODES.numberNode(1_099_511_627_776L),
                NODES.numberNode(1_099_511_627_777L), NODES.numberNode(2_147_483_648L),
                NODES.numberNode(-2_147_483_649L), NODES.numberNode(new BigInteger("1" + "0".repeat(30))),
                NODES.numberNode(Double.MAX_VALUE), NODES.booleanNode(true), NODES.nullNode(), NODES.arrayNode(),
                NODES.objectNode()));
        return values;
    }
}

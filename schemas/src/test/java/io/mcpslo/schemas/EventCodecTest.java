package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential tests: the one-pass decoder of internal topics against the tree decoder, and the timestamp reader
 * against {@link Instant#parse}. Same answers, and the same errors, for what the pipeline writes and for what it
 * never writes.
 */
class EventCodecTest {

    private static final Path VALID = Path.of("src/main/resources/schemas/v1/examples/valid");

    /** What the tree path answers: the event, or the error's class and message. */
    private static Object treeAnswer(byte[] json) {
        try {
            return EventCodec.decodeTrusted(EventCodec.parse(json));
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static Object streamingAnswer(byte[] json) {
        try {
            return EventCodec.decodeTrusted(json);
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static void assertSameAnswer(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(treeAnswer(bytes), streamingAnswer(bytes), json);
    }

    @Test
    void everyExampleEventAsThePipelineWritesItDecodesAlike() throws IOException {
        List<Path> examples = Files.list(VALID).sorted().toList();
        assertTrue(examples.size() >= 5, "expected examples in " + VALID.toAbsolutePath());
        for (Path example : examples) {
            McpEvent event = EventCodec.decodeTrusted(EventCodec.parse(Files.readAllBytes(example)));
            byte[] internal = EventCodec.encodeBytes(event);
            assertEquals(event, EventCodec.decodeTrusted(internal), example.toString());
            assertSameAnswer(Files.readString(example));
        }
    }

    @Test
    void randomEventsWithAndWithoutEveryOptionalFieldDecodeAlike() throws IOException {
        Random random = new Random(11);
        String[] texts = {"a", "ü✓😀", "quote\"back\\slash", "nul\u0000", "new\nline", "x".repeat(3_000), ""};
        for (int i = 0; i < 2_000; i++) {
            var envelope = new EventEnvelope(new UUID(random.nextLong(), random.nextLong()),
                    Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(4) == 0 ? 0
                            : random.nextInt(1_000_000_000)),
                    texts[random.nextInt(texts.length)], "server-" + i, maybe(random, texts), maybe(random, texts),
                    maybe(random, texts), maybe(random, texts), maybe(random, texts), maybe(random, texts),
                    maybe(random, texts), maybe(random, texts), maybe(random, texts));
            McpEvent event = random.nextBoolean()
                    ? new CallEvent(envelope, random.nextInt(3) == 0 ? random.nextInt(100_000) : random.nextDouble() * 1e5,
                            Outcome.values()[random.nextInt(Outcome.values().length)],
                            random.nextBoolean() ? null : random.nextInt(), maybe(random, texts),
                            random.nextBoolean() ? null : random.nextInt(1_001),
                            random.nextBoolean() ? null : random.nextLong(0, 1L << 40))
                    : new AuditEvent(envelope, "actor", maybe(random, texts), "tools/call", maybe(random, texts),
                            maybe(random, texts), random.nextBoolean() ? AuditEvent.Decision.ALLOW : AuditEvent.Decision.DENY,
                            maybe(random, texts), maybe(random, texts), maybe(random, texts));
            byte[] internal = EventCodec.encodeBytes(event);
            assertEquals(event, EventCodec.decodeTrusted(internal), new String(internal, StandardCharsets.UTF_8));
            assertEquals(treeAnswer(internal), streamingAnswer(internal));
        }
    }

    private static String maybe(Random random, String[] texts) {
        return random.nextInt(3) == 0 ? null : texts[random.nextInt(texts.length)];
    }

    private static final String CALL = "\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"kind\":\"call\","
            + "\"ts\":\"2026-11-25T10:15:30.123Z\",\"source\":\"gw\",\"server\":\"github\",\"tool\":\"t\",";

    @ParameterizedTest
    @ValueSource(strings = {
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\"}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"user\":null,\"error_code\":null,\"retry\":null}",
            "{" + CALL + "\"duration_ms\":\"12.5\",\"outcome\":\"ok\",\"error_code\":\"42\"}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"team\":7,\"session_id\":true}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"user\":{\"a\":1},\"trace_id\":[1,2]}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"unknown\":{\"nested\":[1]},\"other\":[]}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"error_code\":99999999999,\"retry\":1.5}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"response_bytes\":123456789012345678901234567890}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\"} trailing",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\",\"tool\":\"twice\"}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"sideways\"}",
            "{" + CALL + "\"outcome\":\"ok\"}",
            "{" + CALL + "\"duration_ms\":1}",
            "{\"kind\":\"call\",\"ts\":\"2026-11-25T10:15:30Z\",\"server\":\"s\",\"duration_ms\":1,\"outcome\":\"ok\"}",
            "{\"event_id\":\"not-a-uuid\",\"kind\":\"call\",\"ts\":\"2026-11-25T10:15:30Z\",\"source\":\"g\",\"server\":\"s\","
                    + "\"duration_ms\":1,\"outcome\":\"ok\"}",
            "{\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"kind\":\"call\",\"ts\":\"2026-02-30T10:15:30Z\","
                    + "\"source\":\"g\",\"server\":\"s\",\"duration_ms\":1,\"outcome\":\"ok\"}",
            "{\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"kind\":\"call\",\"ts\":\"2026-11-25T10:15:30+01:00\","
                    + "\"source\":\"g\",\"server\":\"s\",\"duration_ms\":1,\"outcome\":\"ok\"}",
            "{\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"kind\":\"sideways\",\"ts\":\"2026-11-25T10:15:30Z\","
                    + "\"source\":\"g\",\"server\":\"s\"}",
            "{\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"kind\":\"audit\",\"ts\":\"2026-11-25T10:15:30Z\","
                    + "\"source\":\"g\",\"server\":\"s\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"maybe\"}",
            "{\"event_id\":\"6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41\",\"kind\":\"audit\",\"ts\":\"2026-11-25T10:15:30Z\","
                    + "\"source\":\"g\",\"server\":\"s\",\"actor\":\"a\",\"action\":\"x\"}",
            "{" + CALL + "\"duration_ms\":1,\"outcome\":\"ok\"",
            "[1, 2]", "\"just text\"", "", "   ", "null", "{}", "{\"kind\":", "\u00ff\u00fe"})
    void oddOrBrokenInputGetsTheTreePathsAnswerOrError(String json) {
        assertSameAnswer(json);
    }

    @Test
    void timestampsAsInstantWritesThemReadBackExactly() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_800L); // 0000-01-01 to 9999-12-31
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(second, nanos).toString();
            assertEquals(Instant.parse(text), EventCodec.parseInstant(text), text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:15:30Z", "2026-11-25T10:15:30.1Z", "2026-11-25T10:15:30.12Z",
            "2026-11-25T10:15:30.1234Z", "2028-02-29T00:00:00Z", "2000-02-29T23:59:59.999999999Z",
            "2026-11-25T10:15:30.123+01:00", "2026-11-25t10:15:30z", "2026-11-25T24:00:00Z", "2026-11-25T10:15:30.Z", "+12026-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-12-31T23:59:59.000Z"})
    void otherWellFormedTimestampsReadAsInstantParseReadsThem(String text) {
        assertEquals(Instant.parse(text), EventCodec.parseInstant(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:15:30Z", "2026-02-30T10:15:30Z", "2026-04-31T10:15:30Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-25T10:15:60Z", "2026-11-25T10:60:00Z",
            "2026-11-25T10:15:3xZ", "2026-11-25 10:15:30Z", "2026-11-25T10:15:30.12xZ", "2026-11-25T25:00:00Z",
            "20261125T101530Z", "", "Z", "not a time at all....", "2026-11-25T10:15:30.123456789012Z"})
    void impossibleTimestampsAreRefusedAsInstantParseRefusesThem(String text) {
        Exception expected = assertThrows(Exception.class, () -> Instant.parse(text));
        Exception actual = assertThrows(Exception.class, () -> EventCodec.parseInstant(text));
        assertEquals(expected.getClass(), actual.getClass(), text);
        assertEquals(expected.getMessage(), actual.getMessage(), text);
    }
}

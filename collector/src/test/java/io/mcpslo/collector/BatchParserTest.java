package io.mcpslo.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.ValidationOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch parser reads ordinary calls by streaming and everything else as before, as trees with their errors. */
class BatchParserTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final EventValidator validator = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));
    private final BatchParser parser = new BatchParser(5, 1_000_000, validator);

    private static String call(int n, String extra) {
        return "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-7086772895" + String.format("%02d", n) + "\",\"kind\":\"call\","
                + "\"ts\":\"2026-11-25T11:59:00.250Z\",\"source\":\"gw\",\"server\":\"jira\",\"tool\":\"search\","
                + "\"method\":\"tools/call\",\"duration_ms\":12.5,\"outcome\":\"ok\",\"session_id\":\"s-1\"" + extra
                + "}";
    }

    private static final String AUDIT = "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-708677289599\",\"kind\":\"audit\","
            + "\"ts\":\"2026-11-25T11:59:00Z\",\"source\":\"gw\",\"server\":\"jira\",\"actor\":\"alice\","
            + "\"action\":\"tools/call\",\"decision\":\"allow\"}";

    @Test
    void ordinaryCallsAreReadByStreamingAndTheRestAsTheirOwnTrees() throws Exception {
        String unknownNested = call(2, ",\"arguments\":{\"q\":[1,{\"deep\":\"x\"}],\"r\":{}},\"x\":[[]]");
        String negative = call(3, "").replace("12.5", "-1");
        List<String> events = List.of(call(1, ""), unknownNested, negative, AUDIT, call(5, ",\"retry\":2"));
        List<BatchParser.Item> items = parser.parse(bytes("[" + String.join(" ,\n", events) + "]"), false);

        assertEquals(5, items.size());
        for (int i = 0; i < events.size(); i++) {
            BatchParser.Item item = items.get(i);
            assertEquals(i, item.index());
            JsonNode tree = EventCodec.parse(bytes(events.get(i)));
            if (item.validCall() != null) {
                assertEquals(validator.validate(tree), new ValidationOutcome.Accepted(item.validCall()), events.get(i));
            } else {
                assertEquals(tree, item.json(), events.get(i));
            }
        }
        assertNotNull(items.get(0).validCall());
        assertNull(items.get(1).validCall(), "an unknown field is the tree's to name");
        assertNull(items.get(2).validCall(), "an invalid call is the tree's to word");
        assertNull(items.get(3).validCall(), "audit events take the full validation");
        assertEquals(2, items.get(4).validCall().retry());
    }

    @Test
    void aUtf16BodyWithoutByteOffsetsIsReadWholeAsBefore() throws Exception {
        String body = "[" + call(1, "") + "," + AUDIT + "]";
        List<BatchParser.Item> items = parser.parse(body.getBytes(StandardCharsets.UTF_16BE), false);
        assertEquals(2, items.size());
        assertEquals(EventCodec.parse(bytes(AUDIT)), items.get(1).json());
    }

    @Test
    void aSingleObjectBodyIsOneItem() throws Exception {
        List<BatchParser.Item> items = parser.parse(bytes(call(1, "")), false);
        assertEquals(1, items.size());
        assertNotNull(items.get(0).validCall());
    }

    @Test
    void aRepeatedFieldOrBrokenJsonFailsTheBodyAsBefore() {
        String repeated = "[" + call(1, "") + "," + call(2, ",\"server\":\"other\"") + "]";
        var error = assertThrows(BatchParser.MalformedBodyException.class, () -> parser.parse(bytes(repeated), false));
        assertTrue(error.getMessage().startsWith("malformed JSON: Duplicate field 'server'"), error.getMessage());

        String truncated = "[" + call(1, "") + "," + call(2, "").substring(0, 40);
        error = assertThrows(BatchParser.MalformedBodyException.class, () -> parser.parse(bytes(truncated), false));
        assertTrue(error.getMessage().startsWith("malformed JSON: Unexpected end-of-input"), error.getMessage());

        String trailing = call(1, "") + " {}";
        error = assertThrows(BatchParser.MalformedBodyException.class, () -> parser.parse(bytes(trailing), false));
        assertTrue(error.getMessage().contains("unexpected content after the end"), error.getMessage());

        String notObjects = "[1, \"x\", null]";
        List<BatchParser.Item> items = assertDoesNotThrowParse(notObjects);
        assertEquals(3, items.size());
        assertTrue(items.get(0).json().isNumber());
        assertTrue(items.get(2).json().isNull());
    }

    @Test
    void ndjsonLinesAreReadOneByOne() throws Exception {
        String body = call(1, "") + "\n" + "{\"broken\":" + "\n\n" + call(3, ",\"server\":\"again\"") + "\r\n" + AUDIT;
        List<BatchParser.Item> items = parser.parse(bytes(body), true);
        assertEquals(4, items.size());
        assertNotNull(items.get(0).validCall());
        assertTrue(items.get(1).parseError().startsWith("malformed JSON on line 2:"), items.get(1).parseError());
        assertTrue(items.get(2).parseError().contains("Duplicate field 'server'"), items.get(2).parseError());
        assertEquals("audit", items.get(3).json().get("kind").asText());
    }

    @Test
    void theEventLimitHoldsForStreamedCalls() {
        String six = "[" + String.join(",", List.of(call(1, ""), call(2, ""), call(3, ""), call(4, ""), call(5, ""),
                call(6, ""))) + "]";
        var error = assertThrows(BatchParser.TooManyEventsException.class, () -> parser.parse(bytes(six), false));
        assertTrue(error.getMessage().contains("more than 5 events"), error.getMessage());
    }

    private List<BatchParser.Item> assertDoesNotThrowParse(String body) {
        try {
            return parser.parse(bytes(body), false);
        } catch (Exception e) {
            throw new AssertionError("expected " + body + " to parse, got " + e, e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

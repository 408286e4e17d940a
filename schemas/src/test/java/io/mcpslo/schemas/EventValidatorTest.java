package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {

    private static final Path EXAMPLES = Path.of("src/main/resources/schemas/v1/examples");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final EventValidator validator = new EventValidator(CLOCK);

    static Stream<Path> validExamples() throws IOException {
        return listJson(EXAMPLES.resolve("valid"));
    }

    static Stream<Path> invalidExamples() throws IOException {
        return listJson(EXAMPLES.resolve("invalid"));
    }

    private static Stream<Path> listJson(Path dir) throws IOException {
        List<Path> files = Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted().toList();
        assertTrue(files.size() >= 5, "expected example files in " + dir.toAbsolutePath());
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("validExamples")
    void everyValidExamplePasses(Path file) throws IOException {
        ValidationOutcome outcome = validator.validate(EventCodec.parse(Files.readAllBytes(file)));
        assertInstanceOf(ValidationOutcome.Accepted.class, outcome, () -> file + " -> " + outcome);
    }

    /** Each invalid example is named {@code <field>--<why>.json}; it must be refused naming that field. */
    @ParameterizedTest
    @MethodSource("invalidExamples")
    void everyInvalidExampleFailsNamingItsField(Path file) throws IOException {
        String expectedField = file.getFileName().toString().split("--")[0];
        ValidationOutcome outcome = validator.validate(EventCodec.parse(Files.readAllBytes(file)));
        var rejected = assertInstanceOf(ValidationOutcome.Rejected.class, outcome, file.toString());
        assertTrue(rejected.violations().stream().anyMatch(v -> v.field().equals(expectedField)),
                () -> file + " should name " + expectedField + " but gave " + rejected.violations());
    }

    @Test
    void validCallDecodesIntoTypedRecordAndRoundTrips() throws IOException {
        JsonNode node = EventCodec.parse(Files.readAllBytes(EXAMPLES.resolve("valid/call-transport-error.json")));
        var accepted = assertInstanceOf(ValidationOutcome.Accepted.class, validator.validate(node));
        var call = assertInstanceOf(CallEvent.class, accepted.event());
        assertEquals(Outcome.TRANSPORT_ERROR, call.outcome());
        assertEquals(Instant.parse("2026-11-25T09:15:32.500Z"), call.envelope().ts());
        assertEquals(-32603, call.errorCode());
        assertEquals("jira|create_issue", call.partitionKey());

        ValidationOutcome again = validator.validate(EventCodec.encode(call));
        assertEquals(call, assertInstanceOf(ValidationOutcome.Accepted.class, again).event());
    }

    @Test
    void callsWithoutToolRollUpUnderTheirMethod() throws IOException {
        JsonNode node = EventCodec.parse(Files.readAllBytes(EXAMPLES.resolve("valid/call-tools-list.json")));
        var call = (CallEvent) ((ValidationOutcome.Accepted) validator.validate(node)).event();
        assertEquals("tools/list", call.rollupTool());
    }

    @Test
    void reportsEveryProblemOfOneEvent() throws IOException {
        ObjectNode node = (ObjectNode) EventCodec.parse(Files.readAllBytes(EXAMPLES.resolve("valid/call-ok.json")));
        node.put("duration_ms", "slow");
        node.put("outcome", "boom");
        node.remove("source");
        var rejected = assertInstanceOf(ValidationOutcome.Rejected.class, validator.validate(node));
        var fields = rejected.violations().stream().map(Violation::field).toList();
        assertTrue(fields.containsAll(List.of("duration_ms", "outcome", "source")), fields.toString());
        assertTrue(rejected.summary().contains("duration_ms"), rejected.summary());
    }

    @Test
    void nonObjectsAndUnknownKindsAreRefused() throws IOException {
        assertEquals("$", ((ValidationOutcome.Rejected) validator.validate(EventCodec.parse("[1]".getBytes())))
                .violations().get(0).field());
        assertEquals("kind", ((ValidationOutcome.Rejected) validator.validate(EventCodec.parse("{}".getBytes())))
                .violations().get(0).field());
    }

    @Test
    void timestampsAFewMinutesAheadAreToleratedForClockSkew() throws IOException {
        ObjectNode node = (ObjectNode) EventCodec.parse(Files.readAllBytes(EXAMPLES.resolve("valid/call-ok.json")));
        node.put("ts", "2026-11-25T12:04:00Z");
        assertInstanceOf(ValidationOutcome.Accepted.class, validator.validate(node));
        node.put("ts", "2026-11-25T12:06:00Z");
        assertInstanceOf(ValidationOutcome.Rejected.class, validator.validate(node));
    }

    /**
     * The validator reads ts as RFC 3339 (OffsetDateTime) does, whether its fast UTC path takes the text or not: an
     * accepted event holds that instant, and text OffsetDateTime cannot read is refused naming ts. (The schema's
     * date-time format refuses more, such as a lowercase 't'; the forms listed first must pass both.)
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2026-11-25T10:15:30Z", "2026-11-25T10:15:30.123Z",
            "2026-11-25T10:15:30.123456Z", "2026-11-25T10:15:30.123456789Z", "2026-11-25T10:15:30.1Z",
            "2026-11-25T10:15:30.12345Z", "2026-11-25T11:15:30+01:00", "2026-11-25T10:15:30.5-02:30",
            "2024-02-29T00:00:00Z", "2026-11-25t10:15:30z", "2026-02-29T10:15:30Z", "2026-04-31T10:15:30Z",
            "2026-11-25T24:00:00Z", "2026-11-25T10:15:60Z", "2026-11-25T10:60:00Z", "2026-11-25 10:15:30Z",
            "2026-11-25T10:15:30", "2026-11-25T10:15:3xZ", "1999-12-31T23:59:59Z", "+2026-11-25T10:15:30Z",
            "2026-11-25T10:15:30.Z", "2026-11-25T10:15:30.1234567890Z", "Z", ""})
    void timestampsAreReadAsRfc3339ReadsThem(String text) throws IOException {
        ObjectNode node = (ObjectNode) EventCodec.parse(Files.readAllBytes(EXAMPLES.resolve("valid/call-ok.json")));
        node.put("ts", text);
        ValidationOutcome outcome = new EventValidator(Clock.fixed(Instant.parse("2026-11-25T13:00:00Z"),
                ZoneOffset.UTC)).validate(node);
        Instant expected;
        try {
            expected = java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.DateTimeException e) {
            expected = null;
        }
        boolean mustPass = Set.of("2026-11-25T10:15:30Z", "2026-11-25T10:15:30.123Z", "2026-11-25T10:15:30.123456Z",
                "2026-11-25T10:15:30.123456789Z", "2026-11-25T10:15:30.1Z", "2026-11-25T10:15:30.12345Z",
                "2026-11-25T11:15:30+01:00", "2026-11-25T10:15:30.5-02:30", "2024-02-29T00:00:00Z").contains(text);
        if (expected == null || expected.isBefore(Instant.parse("2000-01-01T00:00:00Z"))) {
            var rejected = assertInstanceOf(ValidationOutcome.Rejected.class, outcome, text);
            assertTrue(rejected.violations().stream().anyMatch(v -> v.field().equals("ts")), text);
        } else if (mustPass) {
            var accepted = assertInstanceOf(ValidationOutcome.Accepted.class, outcome, text);
            assertEquals(expected, accepted.event().envelope().ts(), text);
        } else if (outcome instanceof ValidationOutcome.Accepted accepted) {
            assertEquals(expected, accepted.event().envelope().ts(), text);
        }
    }

    @Test
    void duplicateKeysAreMalformedJson() {
        org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> EventCodec.parse("{\"kind\":\"call\",\"kind\":\"audit\"}".getBytes()));
    }

    /** Every string field of the contract, with a valid value taken from the valid examples. */
    private static Map<String, ObjectNode> eventsByStringField() throws IOException {
        Map<String, ObjectNode> byField = new TreeMap<>();
        for (Path file : validExamples().toList()) {
            ObjectNode event = (ObjectNode) EventCodec.parse(Files.readAllBytes(file));
            event.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual()) {
                    byField.putIfAbsent(field.getKey(), event);
                }
            });
        }
        return byField;
    }

    static Stream<Arguments> badStringValues() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        eventsByStringField().forEach((field, event) -> {
            String valid = event.get(field).asText();
            for (String bad : List.of(valid + "\n", "\n" + valid, valid + "\r\n", valid + "\u0000", valid + "\t",
                    valid + "\u007f", valid + "\u0085", valid + "\ud800", "\udc00" + valid, valid + "\udc00\ud800",
                    "x".repeat(10_000), "x".repeat(1_048_576))) {
                cases.add(Arguments.of(field, event, bad));
            }
        });
        return cases.stream();
    }

    @Test
    void theValidExamplesGiveAValueToEveryStringFieldOfTheSchemas() throws IOException {
        Set<String> declared = new TreeSet<>();
        for (String schema : List.of("envelope", "call", "audit")) {
            EventCodec.parse(Files.readAllBytes(Path.of("src/main/resources/schemas/v1/" + schema + ".schema.json")))
                    .get("properties").fieldNames().forEachRemaining(declared::add);
        }
        declared.removeAll(Set.of("duration_ms", "error_code", "retry", "response_bytes"));
        assertEquals(declared, eventsByStringField().keySet(),
                "add a valid example carrying each new string field, so the string rules are tested on it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStringValues")
    void everyStringFieldRefusesControlCharactersUnpairedSurrogatesAndOverlongValues(String field, ObjectNode valid,
                                                                                      String bad) {
        ObjectNode event = valid.deepCopy();
        event.put(field, bad);
        var rejected = assertInstanceOf(ValidationOutcome.Rejected.class, validator.validate(event),
                () -> field + " accepted " + bad.substring(0, Math.min(bad.length(), 40)).codePoints()
                        .mapToObj(c -> String.format("U+%04X", c)).toList());
        assertTrue(rejected.violations().stream().anyMatch(v -> v.field().equals(field)),
                () -> field + " not named in " + rejected.violations());
    }

    /** The differential: the schema's $defs/printable and {@link PrintableText} give the same verdict. */
    @Test
    void theSchemaAndPrintableTextAgreeOnEveryString() throws IOException {
        ObjectNode call = (ObjectNode) EventCodec.parse(Files.readAllBytes(EXAMPLES.resolve("valid/call-ok.json")));
        ObjectNode audit = (ObjectNode) EventCodec.parse(
                Files.readAllBytes(EXAMPLES.resolve("valid/audit-break-glass.json")));
        List<String> corpus = List.of("search_code_v2", "x\n", "\nx", "a\u0000b", "\u001f", "\u007f", "\u0080",
                "\u009f", "\u00a0", "x\ud800", "\ud800x", "\udc00", "x\udc00\ud800", "\ud83d\ude00", "a\ud83d\ude00b",
                "\ud83d\ude00\ud800", "\ud83d\ud83d\ude00", "\u2028", "\u00e9t\u00e9", "\ufffd", "tab\there");
        for (String text : corpus) {
            boolean printable = PrintableText.problem(text).isEmpty();
            ObjectNode tool = call.deepCopy().put("tool", text);
            ObjectNode reason = audit.deepCopy().put("reason", text);
            for (ObjectNode event : List.of(tool, reason)) {
                ValidationOutcome outcome = validator.validate(event);
                assertEquals(printable, outcome instanceof ValidationOutcome.Accepted,
                        () -> text.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList() + " -> " + outcome);
            }
        }
    }

    @Test
    void anUnpairedSurrogateIsRefusedNamingTheFieldTheRuleAndTheCharacter() throws IOException {
        JsonNode event = EventCodec.parse(Files.readString(EXAMPLES.resolve("valid/call-ok.json"))
                .replace("\"server\":\"", "\"server\":\"x\\ud800").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var rejected = assertInstanceOf(ValidationOutcome.Rejected.class, validator.validate(event));
        assertEquals(List.of(Violation.of("server", "printable",
                "must not hold an unpaired high surrogate (U+D800 at position 1)")), rejected.violations());
    }
}

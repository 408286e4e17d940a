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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

    @Test
    void duplicateKeysAreMalformedJson() {
        org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> EventCodec.parse("{\"kind\":\"call\",\"kind\":\"audit\"}".getBytes()));
    }
}

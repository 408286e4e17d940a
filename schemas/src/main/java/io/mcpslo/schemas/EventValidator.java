package io.mcpslo.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Validates events against the v1 JSON Schemas, then against the rules a schema cannot say (a real calendar
 * date, a timestamp not too far in the future). Every violation names its field.
 */
public final class EventValidator {

    public static final String SCHEMA_BASE_URI = "https://schemas.mcp-slo.io/v1/";
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    static final Instant EARLIEST_TS = Instant.parse("2000-01-01T00:00:00Z");
    /** The shared mapper's limits, without its duplicate detection: {@link #readCertainlyValidCall} has its own. */
    private static final JsonFactory STREAMING = EventCodec.MAPPER.getFactory().copy()
            .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final JsonSchema callSchema;
    private final JsonSchema auditSchema;
    private final Set<String> callFields;
    private final Set<String> auditFields;
    private final Clock clock;
    private final Duration maxFutureSkew;

    public EventValidator(Clock clock, Duration maxFutureSkew) {
        this.clock = clock;
        this.maxFutureSkew = maxFutureSkew;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_BASE_URI, "classpath:schemas/v1/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
        this.callSchema = factory.getSchema(SchemaLocation.of(SCHEMA_BASE_URI + "call.schema.json"), config);
        this.auditSchema = factory.getSchema(SchemaLocation.of(SCHEMA_BASE_URI + "audit.schema.json"), config);
        this.callSchema.initializeValidators();
        this.auditSchema.initializeValidators();
        Set<String> envelopeFields = declaredFields("envelope.schema.json");
        this.callFields = union(envelopeFields, declaredFields("call.schema.json"));
        this.auditFields = union(envelopeFields, declaredFields("audit.schema.json"));
    }

    public EventValidator(Clock clock) {
        this(clock, DEFAULT_MAX_FUTURE_SKEW);
    }

    public ValidationOutcome validate(JsonNode event) {
        if (event == null || !event.isObject()) {
            return new ValidationOutcome.Rejected(List.of(
                    Violation.of("$", "type", "an event must be a JSON object")));
        }
        JsonNode kind = event.get("kind");
        JsonSchema schema;
        Set<String> knownFields;
        if (kind != null && "call".equals(kind.asText())) {
            schema = callSchema;
            knownFields = callFields;
        } else if (kind != null && "audit".equals(kind.asText())) {
            schema = auditSchema;
            knownFields = auditFields;
        } else {
            return new ValidationOutcome.Rejected(List.of(Violation.of("kind", kind == null ? "required" : "enum",
                    kind == null ? "kind is required: call or audit" : "kind must be call or audit")));
        }
        boolean fastPath = schema == callSchema && CallSchemaFastPath.certainlyValid(event);
        List<Violation> violations = fastPath ? new ArrayList<>() : new ArrayList<>(toViolations(schema.validate(event)));
        // The schema's unevaluatedProperties marks every field once any other rule fails, so unknown
        // fields are named here from the declared ones instead.
        event.fieldNames().forEachRemaining(name -> {
            if (!knownFields.contains(name)) {
                String printableName = PrintableText.sanitized(name);
                violations.add(Violation.of(printableName, "unknown_field", "unknown field " + printableName
                        + (name.contains("arg") ? " (raw tool arguments are never accepted; send args_hash)" : "")));
            }
        });
        Instant ts = null;
        if (violations.stream().noneMatch(v -> v.field().equals("ts"))) {
            try {
                String text = event.get("ts").asText();
                ts = EventCodec.parseUtcInstant(text);
                if (ts == null) {
                    ts = OffsetDateTime.parse(text).toInstant();
                }
                Instant latestAllowed = clock.instant().plus(maxFutureSkew);
                if (ts.isBefore(EARLIEST_TS)) {
                    violations.add(Violation.of("ts", "minimum", "ts " + ts + " is before 2000-01-01 (clock reset?)"));
                } else if (ts.isAfter(latestAllowed)) {
                    violations.add(Violation.of("ts", "not_in_future",
                            "ts " + ts + " is more than " + maxFutureSkew.toMinutes()
                                    + " minutes in the future (clock skew?)"));
                }
            } catch (DateTimeException e) {
                violations.add(Violation.of("ts", "date-time", "ts is not a real RFC 3339 date-time"));
            }
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(Violation::field).thenComparing(Violation::rule));
            return new ValidationOutcome.Rejected(violations);
        }
        return new ValidationOutcome.Accepted(EventCodec.decodeValid(event, ts));
    }

    /**
     * The call whose START_OBJECT the parser is on, read in one pass without a tree, when {@link #validate} would
     * certainly accept it; null when it might not (or is no ordinary call), with the parser left inside the object:
     * the caller then reads the event again as a tree and validates that, which words any violation. The parser need
     * not detect duplicate fields: an event with one is never read here.
     */
    public CallEvent readCertainlyValidCall(JsonParser parser) throws IOException {
        CallEvent call = CallSchemaFastPath.readCertainlyValid(parser);
        if (call == null) {
            return null;
        }
        Instant ts = call.envelope().ts();
        return ts.isBefore(EARLIEST_TS) || ts.isAfter(clock.instant().plus(maxFutureSkew)) ? null : call;
    }

    /**
     * {@code validate(EventCodec.parse(json))} for the event in {@code json[offset, offset + length)}: an ordinary
     * call in one streaming pass, anything else through the tree, so the answer and the parse errors are the same.
     */
    public ValidationOutcome validate(byte[] json, int offset, int length) throws JsonProcessingException {
        CallEvent call = readCertainlyValidCall(json, offset, length);
        return call != null ? new ValidationOutcome.Accepted(call) : validate(EventCodec.parse(json, offset, length));
    }

    /**
     * The call these bytes hold, read by streaming, when they are one JSON object and certainly a valid call; null
     * for anything else (broken JSON included), which the tree path then reads and, if need be, explains.
     */
    public CallEvent readCertainlyValidCall(byte[] json, int offset, int length) {
        try (JsonParser parser = STREAMING.createParser(json, offset, length)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                CallEvent call = readCertainlyValidCall(parser);
                return call != null && parser.nextToken() == null ? call : null;
            }
            return null;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail with IO", e);
        }
    }

    /** What the full call schema alone says of an event, without the fast path: the reference it is held to. */
    List<Violation> callSchemaViolations(JsonNode event) {
        return toViolations(callSchema.validate(event));
    }

    private static List<Violation> toViolations(Set<ValidationMessage> messages) {
        List<Violation> violations = new ArrayList<>();
        for (ValidationMessage message : messages) {
            if ("unevaluatedProperties".equals(message.getType())) {
                continue;
            }
            if ("not".equals(message.getType()) && message.getInstanceNode() != null
                    && message.getInstanceNode().isTextual()) {
                // the only "not" of the schemas is $defs/printable; say which character, not the pattern
                String problem = PrintableText.problem(message.getInstanceNode().asText())
                        .orElse("must not hold control characters or unpaired surrogates");
                violations.add(Violation.of(fieldOf(message), "printable", problem));
                continue;
            }
            violations.add(Violation.of(fieldOf(message), message.getType(), readable(message)));
        }
        return violations.stream().distinct().toList();
    }

    private static String fieldOf(ValidationMessage message) {
        String location = message.getInstanceLocation().toString();
        String field = location.replaceFirst("^[$/]\\.?", "").replace('/', '.');
        if (message.getProperty() != null && "required".equals(message.getType())) {
            field = field.isEmpty() ? message.getProperty() : field + "." + message.getProperty();
        }
        return field.isEmpty() ? "$" : field;
    }

    private static String readable(ValidationMessage message) {
        String text = message.getMessage();
        return (text.startsWith("$") || text.startsWith("/")) && text.indexOf(':') > 0
                ? text.substring(text.indexOf(':') + 1).trim() : text;
    }

    private static Set<String> declaredFields(String schemaFile) {
        try (var in = EventValidator.class.getResourceAsStream("/schemas/v1/" + schemaFile)) {
            Set<String> fields = new java.util.HashSet<>();
            EventCodec.MAPPER.readTree(in).get("properties").fieldNames().forEachRemaining(fields::add);
            return fields;
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("schema " + schemaFile + " is missing from the classpath", e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}

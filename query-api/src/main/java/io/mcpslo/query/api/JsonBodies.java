package io.mcpslo.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.mcpslo.schemas.PrintableText;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Request bodies, read the same way by every handler that takes one: each refusal names its field. */
final class JsonBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /** The body as a JSON object with no field outside {@code allowed}. */
    static JsonNode object(Context ctx, Set<String> allowed) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequestException("body", "body larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new BadRequestException("body", "body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw new BadRequestException("body", "body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new BadRequestException(RangeParameters.abbreviate(name), "unknown field; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return body;
    }

    static String text(JsonNode body, String field, boolean required, Pattern pattern) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadRequestException(field, field + " is required");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field, field + " must be a string");
        }
        String text = value.asText();
        if (text.length() > 1000 || (pattern != null && !pattern.matcher(text).matches())
                || (required && text.isBlank())) {
            throw new BadRequestException(field, field + " must be " + (pattern != null ? "1 to 200 printable characters"
                    : "at most 1000 characters" + (required ? " and not blank" : "")));
        }
        // it is stored, and written to the audit trail whose contract refuses the same characters
        PrintableText.problem(text).ifPresent(problem -> {
            throw new BadRequestException(field, field + " " + problem);
        });
        return text;
    }

    static Optional<Instant> optionalInstant(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field, field + " must be an RFC 3339 timestamp string");
        }
        try {
            Instant instant = OffsetDateTime.parse(value.asText()).toInstant();
            if (instant.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || instant.isAfter(Instant.parse("2200-01-01T00:00:00Z"))) {
                throw new BadRequestException(field, field + " must be between 2000 and 2200");
            }
            return Optional.of(instant);
        } catch (DateTimeException e) {
            throw new BadRequestException(field, field + " must be an RFC 3339 timestamp such as 2026-11-25T10:00:00Z");
        }
    }
}

package io.mcpslo.schemas;

/** One reason an event was refused: the field (JSON path without the leading "$."), the rule, a readable message. */
public record Violation(String field, String rule, String message) {

    public static Violation of(String field, String rule, String message) {
        return new Violation(field, rule, message);
    }
}

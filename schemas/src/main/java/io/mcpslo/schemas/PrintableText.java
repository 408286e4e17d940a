package io.mcpslo.schemas;

import java.util.Optional;

/**
 * The rule for every public string that reaches storage: no control character (U+0000–U+001F, U+007F–U+009F)
 * and no unpaired UTF-16 surrogate. ClickHouse refuses a batch holding a lone surrogate, and control characters
 * break logs and exports. The JSON Schemas say the same in {@code envelope.schema.json#/$defs/printable}.
 */
public final class PrintableText {

    private PrintableText() {
    }

    /** Why {@code text} breaks the rule (naming the first offending character and its position), or empty. */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of(describe("an unpaired high surrogate", c, i));
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of(describe("an unpaired low surrogate", c, i));
            }
            if (Character.isISOControl(c)) {
                return Optional.of(describe("a control character", c, i));
            }
        }
        return Optional.empty();
    }

    /** {@code text} with every offending character replaced by '?', safe to echo in an error message. */
    public static String sanitized(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                safe.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                safe.append('?');
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /** {@link #sanitized} and cut to at most {@code maxChars} (never inside a surrogate pair), marked with "…". */
    public static String abbreviated(String text, int maxChars) {
        String safe = sanitized(text);
        if (safe.length() <= maxChars) {
            return safe;
        }
        int end = Character.isHighSurrogate(safe.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return safe.substring(0, end) + "…";
    }

    private static String describe(String what, char c, int index) {
        return "must not hold " + what + " (U+" + String.format("%04X", (int) c) + " at position " + index + ")";
    }
}

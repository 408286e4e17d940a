package io.mcpslo.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The text of a paging cursor: the last row's sort key, '|'-joined and base64url-encoded, so a client passes it
 * back untouched and never builds one. Parts must not contain '|'.
 */
public final class CursorText {

    private CursorText() {
    }

    public static String encode(Object... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.stream(parts).map(String::valueOf)
                .collect(Collectors.joining("|")).getBytes(StandardCharsets.UTF_8));
    }

    /** The parts of a cursor this API gave out, or empty when the text is not one with {@code parts} parts. */
    public static Optional<String[]> decode(String text, int parts) {
        try {
            String[] decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
            return decoded.length == parts ? Optional.of(decoded) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package io.mcpslo.engine.alert;

import io.mcpslo.schemas.PrintableText;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Someone has taken on the incident with this dedup key: who, why and when. The later acknowledgement of an
 * incident replaces the earlier one. The texts are checked as every stored public string is (printable, bounded),
 * so a record that decodes is one the analytics store and a pager take.
 */
public record Acknowledgement(String dedupKey, String by, String comment, Instant at) {

    /** The dedup keys alerts carry ({@code mcp-slo:<slo>:<alert>:<incident start>}), and no more than 300 characters. */
    public static final Pattern DEDUP_KEY = Pattern.compile("[A-Za-z0-9:._-]{1,300}");
    public static final int MAX_BY = 200;
    public static final int MAX_COMMENT = 1000;

    public Acknowledgement {
        Objects.requireNonNull(dedupKey, "dedupKey");
        if (!DEDUP_KEY.matcher(dedupKey).matches()) {
            throw new IllegalArgumentException("not a dedup key: 1 to 300 of A-Z a-z 0-9 : . _ -");
        }
        Objects.requireNonNull(by, "by");
        if (by.isBlank() || by.length() > MAX_BY) {
            throw new IllegalArgumentException("by must be 1 to " + MAX_BY + " characters, not blank");
        }
        comment = comment == null ? "" : comment;
        if (comment.length() > MAX_COMMENT) {
            throw new IllegalArgumentException("comment must be at most " + MAX_COMMENT + " characters");
        }
        PrintableText.problem(by).ifPresent(problem -> {
            throw new IllegalArgumentException("by " + problem);
        });
        PrintableText.problem(comment).ifPresent(problem -> {
            throw new IllegalArgumentException("comment " + problem);
        });
        Objects.requireNonNull(at, "at");
    }
}

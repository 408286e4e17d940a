package io.mcpslo.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of environment-style settings; every error names the variable.
 */
public record Settings(Map<String, String> values) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public Settings {
        values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    public String string(String name, String defaultValue) {
        String value = values.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** The value of {@code name}, or null when it is unset or empty (for ${NAME} references in config files). */
    public String optional(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return parse(name, defaultValue, raw -> {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        });
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        return parse(name, defaultValue, raw -> {
            long value = Long.parseLong(raw);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        });
    }

    public boolean bool(String name, boolean defaultValue) {
        return parse(name, defaultValue, raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        });
    }

    /** Durations are written as a number and a unit: 250ms, 30s, 5m, 6h, 1d. */
    public Duration duration(String name, Duration defaultValue) {
        return parse(name, defaultValue, Settings::parseDuration);
    }

    public URI uri(String name, String defaultValue) {
        return parse(name, URI.create(defaultValue), raw -> {
            URI uri = URI.create(raw);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an absolute URL such as " + defaultValue);
            }
            return uri;
        });
    }

    public static Duration parseDuration(String raw) {
        Matcher matcher = DURATION.matcher(raw.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a duration such as 500ms, 30s, 5m, 6h or 1d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private <T> T parse(String name, T defaultValue, Function<String, T> parser) {
        String raw = values.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            String reason = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
            throw new InvalidSettingException(name, raw, reason);
        }
    }

    /** Returns a copy with {@code overrides} taking precedence, as the all-in-one mode composes services. */
    public Settings with(Map<String, String> overrides) {
        var merged = new java.util.HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }
}

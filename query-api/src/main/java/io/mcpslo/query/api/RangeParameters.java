package io.mcpslo.query.api;

import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.schemas.PrintableText;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the parameters of the latency and failures endpoints. Anything unknown, repeated or
 * malformed is refused naming the parameter: a query never silently answers something else than asked.
 */
final class RangeParameters {

    static final Set<String> ALLOWED = Set.of("server", "tool", "version", "from", "to", "step");
    static final Map<String, Duration> STEPS = Map.of("1m", Duration.ofMinutes(1), "5m", Duration.ofMinutes(5),
            "1h", Duration.ofHours(1));
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    static final Duration MAX_RANGE = Duration.ofDays(400);
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]{1,200}");

    private RangeParameters() {
    }

    static RollupQuery parse(Map<String, List<String>> params, Clock clock, int maxPoints) {
        checkNames(params, ALLOWED);
        RollupQuery range = wholeRange(params, clock);
        Instant from = range.from();
        Instant to = range.to();
        String stepText = single(params, "step").orElse("1m");
        Optional<Duration> step;
        if (stepText.equals("all")) {
            step = Optional.empty();
        } else if (STEPS.containsKey(stepText)) {
            step = Optional.of(STEPS.get(stepText));
            long points = Duration.between(from, to).toSeconds() / step.get().toSeconds() + 1;
            if (points > maxPoints) {
                throw new BadRequestException("step", "step " + stepText + " gives " + points
                        + " points over this range; the limit is " + maxPoints + ": use a larger step or a shorter range");
            }
        } else {
            throw new BadRequestException("step", "step must be one of 1m, 5m, 1h, all; got " + abbreviate(stepText));
        }
        return new RollupQuery(range.server(), range.tool(), range.version(), from, to, step);
    }

    /** The filters and the range (default: the last hour) as one bucket; the caller has checked the names. */
    static RollupQuery wholeRange(Map<String, List<String>> params, Clock clock) {
        Optional<String> server = name(params, "server");
        Optional<String> tool = name(params, "tool");
        Optional<String> version = name(params, "version");
        TimeRange range = timeRange(params, ceilToMinute(clock.instant()), DEFAULT_RANGE);
        return new RollupQuery(server, tool, version, range.from(), range.to(), Optional.empty());
    }

    /** A time range from {@code from} and {@code to} (defaults: {@code defaultTo} and {@code defaultLength} before it). */
    record TimeRange(Instant from, Instant to) {
        Duration length() {
            return Duration.between(from, to);
        }
    }

    static TimeRange timeRange(Map<String, List<String>> params, Instant defaultTo, Duration defaultLength) {
        Instant to = instant(params, "to").orElse(defaultTo);
        Instant from = instant(params, "from").orElse(to.minus(defaultLength));
        checkRange(from, to);
        return new TimeRange(from, to);
    }

    /** From before to, and no longer than {@link #MAX_RANGE}. */
    static void checkRange(Instant from, Instant to) {
        checkRange(from, to, MAX_RANGE);
    }

    /** From before to, and no longer than {@code maxRange}. */
    static void checkRange(Instant from, Instant to, Duration maxRange) {
        if (!from.isBefore(to)) {
            throw new BadRequestException("from", "from (" + from + ") must be before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw new BadRequestException("from", "range longer than " + maxRange.toDays() + " days");
        }
    }

    /** One of {@code steps}, giving at most {@code maxPoints} points over the range. */
    static Duration step(String stepText, Map<String, Duration> steps, TimeRange range, int maxPoints) {
        Duration step = steps.get(stepText);
        if (step == null) {
            throw new BadRequestException("step", "step must be one of " + String.join(", ", steps.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList()) + "; got " + abbreviate(stepText));
        }
        long points = range.length().toSeconds() / step.toSeconds() + 1;
        if (points > maxPoints) {
            throw new BadRequestException("step", "step " + stepText + " gives " + points
                    + " points over this range; the limit is " + maxPoints + ": use a larger step or a shorter range");
        }
        return step;
    }

    /** An SLO id or team name, checked to be one. */
    static Optional<String> sloName(Map<String, List<String>> params, String field) {
        Optional<String> value = single(params, field);
        if (value.isPresent() && !SloDefinition.NAME.matcher(value.get()).matches()) {
            throw new BadRequestException(field, field + " must be lower-case letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    static Optional<String> oneOf(Map<String, List<String>> params, String field, Set<String> allowed) {
        Optional<String> value = single(params, field);
        if (value.isPresent() && !allowed.contains(value.get())) {
            throw new BadRequestException(field, field + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + "; got " + abbreviate(value.get()));
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}, or {@code defaultValue} when absent. */
    static int integer(Map<String, List<String>> params, String field, int min, int max, int defaultValue) {
        return single(params, field).map(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw new BadRequestException(field, field + " must be a whole number from " + min + " to " + max
                    + "; got " + abbreviate(text));
        }).orElse(defaultValue);
    }

    /** Refuses unknown and repeated parameters, naming the first one. */
    static void checkNames(Map<String, List<String>> params, Set<String> allowed) {
        for (var entry : params.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw new BadRequestException(abbreviate(entry.getKey()), "unknown parameter "
                        + abbreviate(entry.getKey()) + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (entry.getValue().size() > 1) {
                throw new BadRequestException(entry.getKey(), entry.getKey() + " given more than once");
            }
        }
    }

    static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A page size from 1 to 1000, or {@code defaultLimit} when absent. */
    static int limit(Map<String, List<String>> params, int defaultLimit) {
        return single(params, "limit").map(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value >= 1 && value <= 1000) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw new BadRequestException("limit", "limit must be a whole number from 1 to 1000; got "
                    + abbreviate(text));
        }).orElse(defaultLimit);
    }

    static Optional<String> name(Map<String, List<String>> params, String field) {
        Optional<String> value = single(params, field);
        if (value.isPresent() && (!PRINTABLE.matcher(value.get()).matches()
                || PrintableText.problem(value.get()).isPresent())) {
            throw new BadRequestException(field, field + " must be 1 to 200 printable characters");
        }
        return value;
    }

    static Optional<Instant> instant(Map<String, List<String>> params, String field) {
        Optional<String> value = single(params, field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant instant = OffsetDateTime.parse(value.get()).toInstant();
            if (instant.isBefore(Instant.parse("2000-01-01T00:00:00Z"))
                    || instant.isAfter(Instant.parse("2200-01-01T00:00:00Z"))) {
                throw new BadRequestException(field, field + " must be between 2000 and 2200");
            }
            return Optional.of(instant);
        } catch (DateTimeException e) {
            throw new BadRequestException(field, field + " must be an RFC 3339 timestamp such as "
                    + "2026-11-25T10:00:00Z; got " + abbreviate(value.get()));
        }
    }

    static Instant ceilToMinute(Instant instant) {
        long minute = 60;
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond() + minute - 1, minute) * minute);
    }

    static String abbreviate(String value) {
        return PrintableText.abbreviated(value, 60);
    }
}

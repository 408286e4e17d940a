package io.mcpslo.engine.alert;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Holds back notifications of the alerts its matchers select, from {@code startsAt} until {@code endsAt}.
 * Matchers compare exactly: {@code slo}, {@code team}, {@code alert} (page, ticket, budget-exhausted) and
 * {@code severity}; every matcher given must match. Silenced transitions are still recorded in the history.
 */
public record Silence(String id, Map<String, String> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment) {

    public static final Set<String> MATCHER_NAMES = Set.of("slo", "team", "alert", "severity");

    public Silence {
        Objects.requireNonNull(id, "id");
        matchers = Map.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        for (String name : matchers.keySet()) {
            if (!MATCHER_NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown matcher " + name + "; use slo, team, alert or severity");
            }
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a silence must end after it starts");
        }
        createdBy = createdBy == null ? "" : createdBy;
        comment = comment == null ? "" : comment;
    }

    public boolean activeAt(Instant instant) {
        return !instant.isBefore(startsAt) && instant.isBefore(endsAt);
    }

    public boolean silences(AlertTransition transition, Instant now) {
        return activeAt(now) && matchers.entrySet().stream().allMatch(matcher -> switch (matcher.getKey()) {
            case "slo" -> matcher.getValue().equals(transition.sloId());
            case "team" -> matcher.getValue().equals(transition.team());
            case "alert" -> matcher.getValue().equals(transition.kind().label());
            default -> matcher.getValue().equalsIgnoreCase(transition.severity().name());
        });
    }
}

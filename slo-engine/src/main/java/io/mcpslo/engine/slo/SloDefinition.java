package io.mcpslo.engine.slo;

import java.util.Objects;
import java.util.regex.Pattern;

/** One SLO as loaded from a file: who owns it, what it covers, how it is measured and how it alerts. */
public record SloDefinition(String id, String team, String description, SloScope scope, Sli sli, Objective objective,
                            SloWindow window, AlertPolicy alerting) {

    /** Ids and team names: lower case letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public SloDefinition {
        if (id == null || !NAME.matcher(id).matches()) {
            throw new IllegalArgumentException("id must match " + NAME.pattern() + ", was " + id);
        }
        if (team == null || !NAME.matcher(team).matches()) {
            throw new IllegalArgumentException("team must match " + NAME.pattern() + ", was " + team);
        }
        description = description == null ? "" : description;
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(sli, "sli");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(alerting, "alerting");
    }

    /** Where this SLO's per-minute history is kept: changing the scope starts a new history. */
    public String historyKey() {
        return id + '|' + scope.fingerprint();
    }
}

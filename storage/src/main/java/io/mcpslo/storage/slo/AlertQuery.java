package io.mcpslo.storage.slo;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which alert transitions to list: only the active alerts (their latest transition is pending or firing) or the
 * history in a range, filtered by SLO, team, alert kind and severity, newest first. A non-empty {@code teams}
 * limits the answer to those teams (a team token's scope).
 */
public record AlertQuery(boolean activeOnly, Optional<String> sloId, Optional<String> team, Optional<String> alert,
                         Optional<String> severity, Set<String> teams, Instant from, Instant to, int limit) {

    public AlertQuery {
        teams = Set.copyOf(teams);
    }
}

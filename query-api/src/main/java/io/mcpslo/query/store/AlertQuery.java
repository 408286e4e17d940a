package io.mcpslo.query.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which alert transitions to list: only the active alerts (their latest transition is pending or firing) or the
 * history in a range, filtered by SLO, team, alert kind and severity, newest first.
 */
public record AlertQuery(boolean activeOnly, Optional<String> sloId, Optional<String> team, Optional<String> alert,
                         Optional<String> severity, Instant from, Instant to, int limit) {
}

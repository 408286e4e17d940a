package io.mcpslo.common.auth;

import java.util.function.Predicate;

/** The access an endpoint requires; admin passes them all. */
public enum Access {
    /** Health checks: no token. */
    OPEN(principal -> true),
    /** Writing events: a gateway token (whose id must also match each event's source). */
    GATEWAY(principal -> principal.gatewayId().isPresent()),
    /** Operations data and metrics: sre. */
    OPERATIONS(principal -> principal.has(new Role.Sre())),
    /** SLOs, alerts, latency and failures: sre, or a team (its own team's only). */
    READ(principal -> principal.has(new Role.Sre()) || !principal.teams().isEmpty()),
    /** Changing silences: sre. */
    MANAGE(principal -> principal.has(new Role.Sre())),
    /** The audit trail, its export and verification: auditor. */
    AUDIT(principal -> principal.has(new Role.Auditor())),
    /** Break-glass acts, which dashboards mark on burn-rate charts: auditor or sre. */
    BREAK_GLASS(principal -> principal.has(new Role.Auditor()) || principal.has(new Role.Sre())),
    /** Anything not mapped explicitly: admin only. */
    ADMIN(principal -> false);

    private final Predicate<Principal> allows;

    Access(Predicate<Principal> allows) {
        this.allows = allows;
    }

    public boolean allows(Principal principal) {
        return principal.isAdmin() || allows.test(principal);
    }
}

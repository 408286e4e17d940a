package io.mcpslo.common.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Who a valid token belongs to, its roles, and (for a gateway) which servers and event kinds it may write. */
public record Principal(String name, Set<Role> roles, WriteScope writeScope) {

    public Principal {
        roles = Set.copyOf(roles);
        Objects.requireNonNull(writeScope, "writeScope");
    }

    public Principal(String name, Set<Role> roles) {
        this(name, roles, WriteScope.ANY);
    }

    public boolean isAdmin() {
        return roles.contains(new Role.Admin());
    }

    public boolean has(Role role) {
        return isAdmin() || roles.contains(role);
    }

    /** The gateway id this principal may write events for, if it is a gateway. */
    public Optional<String> gatewayId() {
        return roles.stream().filter(Role.Gateway.class::isInstance).map(role -> ((Role.Gateway) role).id()).findFirst();
    }

    /** The teams this principal reads for, when it is a team member and nothing broader. */
    public Set<String> teams() {
        return Set.copyOf(roles.stream().filter(Role.Team.class::isInstance).map(role -> ((Role.Team) role).name()).toList());
    }
}

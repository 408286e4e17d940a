package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.common.auth.Role;
import io.mcpslo.engine.slo.SloDefinition;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a request may read. sre and admin read every team and server. A team token reads its teams' SLOs, alerts
 * and reports, and the calls of the servers its teams own: ownership is declared by the SLO files, where a team
 * owns each server its SLOs' scopes name (an SLO with no server in its scope covers every server, so its team
 * reads them all, as its weekly report already does).
 */
final class ReadScope {

    private ReadScope() {
    }

    /** Empty when the request reads every team; else the teams it may read (none for a token of no team). */
    static Optional<Set<String>> teams(Context ctx) {
        Principal principal = ctx.attribute(QueryApp.PRINCIPAL);
        if (principal == null || principal.has(new Role.Sre())) {
            return Optional.empty();
        }
        return Optional.of(principal.teams());
    }

    /** Empty when the request reads every server; else the servers its teams own. */
    static Optional<Set<String>> servers(Context ctx, List<SloDefinition> slos) {
        return teams(ctx).flatMap(teams -> ownedServers(teams, slos));
    }

    /** The servers the SLOs of {@code teams} name; empty (every server) when one of them names none. */
    static Optional<Set<String>> ownedServers(Set<String> teams, List<SloDefinition> slos) {
        Set<String> servers = new TreeSet<>();
        for (SloDefinition slo : slos) {
            if (teams.contains(slo.team())) {
                if (slo.scope().server() == null) {
                    return Optional.empty();
                }
                servers.add(slo.scope().server());
            }
        }
        return Optional.of(Set.copyOf(servers));
    }

    /**
     * The servers a request may read calls of (empty: all), when it asks for {@code server}: another team's server is
     * 404, as if it did not exist.
     */
    static Optional<Set<String>> serversFor(Context ctx, List<SloDefinition> slos, Optional<String> server) {
        Optional<Set<String>> visible = servers(ctx, slos);
        if (visible.isPresent() && server.isPresent() && !visible.get().contains(server.get())) {
            throw new NotFoundException("server", "no server " + RangeParameters.abbreviate(server.get())
                    + " among the servers this token's teams own (those their SLOs name)");
        }
        return visible;
    }

    /** Whether the request may read a team's SLOs, alerts and reports. */
    static boolean seesTeam(Context ctx, String team) {
        return teams(ctx).map(teams -> teams.contains(team)).orElse(true);
    }
}

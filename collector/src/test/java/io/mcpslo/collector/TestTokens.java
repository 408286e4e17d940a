package io.mcpslo.collector;

import io.mcpslo.common.auth.BearerAuth;
import io.mcpslo.common.auth.Role;
import io.mcpslo.common.auth.TokenStore;
import io.mcpslo.common.auth.WriteScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/** A token file for tests, with one token per role; the gateway token is the one HttpTestClient sends. */
final class TestTokens {

    static Path file;
    static String gateway;
    static String otherGateway;
    /** gateway:gw-fleet, fronting github and every jira-… server, calls only. */
    static String scopedGateway;
    static String sre;
    static String auditor;
    static String team;
    static String admin;

    private TestTokens() {
    }

    static synchronized BearerAuth auth() {
        if (file == null) {
            try {
                file = Files.createTempDirectory("mcp-slo-tokens").resolve("tokens");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            gateway = TokenStore.create(file, "gw", Set.of(new Role.Gateway("gw")));
            otherGateway = TokenStore.create(file, "gw-other", Set.of(new Role.Gateway("gw-other")));
            scopedGateway = TokenStore.create(file, "gw-fleet", Set.of(new Role.Gateway("gw-fleet")),
                    WriteScope.parse("github,jira-*", "call"), Instant.parse("2026-11-25T10:00:00Z"));
            sre = TokenStore.create(file, "sre", Set.of(new Role.Sre()));
            auditor = TokenStore.create(file, "auditor", Set.of(new Role.Auditor()));
            team = TokenStore.create(file, "team-devtools", Set.of(new Role.Team("devtools")));
            admin = TokenStore.create(file, "admin", Set.of(new Role.Admin()));
        }
        HttpTestClient.token = gateway;
        return new BearerAuth(new TokenStore(file));
    }
}

package io.mcpslo.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    @TempDir
    Path folder;

    @Test
    void tokensAreHashedAtRestAndAuthenticateToTheirPrincipalOnceCreated() throws Exception {
        Path file = folder.resolve("tokens");
        TokenStore store = new TokenStore(file);
        assertTrue(store.authenticate("anything").isEmpty(), "no file, no valid token");
        String token = TokenStore.create(file, "alice", Set.of(new Role.Sre(), new Role.Team("devtools")));
        assertTrue(token.startsWith(TokenStore.PREFIX));
        assertFalse(Files.readString(file).contains(token), "only the hash is stored");
        Principal alice = store.authenticate(token).orElseThrow();
        assertEquals("alice", alice.name());
        assertEquals(Set.of("devtools"), alice.teams());
        assertTrue(store.authenticate(token + "x").isEmpty());
        assertTrue(store.authenticate("x".repeat(500)).isEmpty());
    }

    @Test
    void theAccessRulesFollowTheRoles() {
        var auth = new BearerAuth(new TokenStore(folder.resolve("tokens")));
        String gateway = TokenStore.create(folder.resolve("tokens"), "gw", Set.of(new Role.Gateway("gw-1")));
        String admin = TokenStore.create(folder.resolve("tokens"), "root", Set.of(new Role.Admin()));
        assertInstanceOf(BearerAuth.Allowed.class, auth.check("Bearer " + gateway, Access.GATEWAY));
        assertInstanceOf(BearerAuth.Forbidden.class, auth.check("Bearer " + gateway, Access.AUDIT));
        assertInstanceOf(BearerAuth.Allowed.class, auth.check("bearer  " + admin + " ", Access.AUDIT));
        assertInstanceOf(BearerAuth.Allowed.class, auth.check("Bearer " + admin, Access.ADMIN));
        assertInstanceOf(BearerAuth.Unauthenticated.class, auth.check(null, Access.READ));
        assertInstanceOf(BearerAuth.Unauthenticated.class, auth.check("Basic YWxpY2U6cHc=", Access.READ));
        assertInstanceOf(BearerAuth.Allowed.class, auth.check(null, Access.OPEN));
    }

    @Test
    void badRolesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("gateway:"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("team:x'; DROP"));
    }

    @Test
    void aMalformedLineIsReportedWithItsNumberAndSkippedWhileTheOtherTokensKeepWorking() throws Exception {
        Path file = folder.resolve("tokens");
        String first = TokenStore.create(file, "first", Set.of(new Role.Sre()));
        String hash = TokenStore.hash("mcps_unused");
        Files.writeString(file, "# comment\nnot-a-hash alice sre\n" + hash + " bob root\n" + hash + " b\u0001b sre\n",
                StandardOpenOption.APPEND);
        Files.write(file, new byte[] {(byte) 0xFF, ' ', 'x', '\n'}, StandardOpenOption.APPEND);
        String second = TokenStore.create(file, "second", Set.of(new Role.Auditor()));

        var contents = TokenStore.read(file);
        assertEquals(List.of("first", "second"), contents.entries().stream().map(e -> e.principal().name()).toList());
        assertEquals(4, contents.badLines().size(), contents.badLines().toString());
        assertTrue(contents.badLines().get(0).startsWith(file + ":3: expected"), contents.badLines().get(0));
        assertTrue(contents.badLines().get(1).startsWith(file + ":4: "), contents.badLines().get(1));
        assertTrue(contents.badLines().get(3).startsWith(file + ":6: "), contents.badLines().get(3));

        TokenStore store = new TokenStore(file);
        assertEquals("first", store.authenticate(first).orElseThrow().name());
        assertEquals("second", store.authenticate(second).orElseThrow().name());
        assertTrue(store.authenticate("mcps_unused").isEmpty());
    }

    @Test
    void aGatewayScopeIsStoredReadBackAndMatchesExactNamesAndPrefixes() throws Exception {
        Path file = folder.resolve("tokens");
        String token = TokenStore.create(file, "gw-fleet", Set.of(new Role.Gateway("gw-fleet")),
                WriteScope.parse("github,jira-*", "call"), Instant.parse("2026-11-25T10:00:00Z"));
        assertTrue(Files.readString(file).contains(" servers=github,jira-* kinds=call created=2026-11-25T10:00:00Z"));
        WriteScope scope = new TokenStore(file).authenticate(token).orElseThrow().writeScope();
        assertTrue(scope.allowsServer("github") && scope.allowsServer("jira-eu") && scope.allowsServer("jira-"));
        assertFalse(scope.allowsServer("jira") || scope.allowsServer("github-enterprise") || scope.allowsServer("gitlab"));
        assertTrue(scope.allowsKind("call"));
        assertFalse(scope.allowsKind("audit"));
        assertTrue(WriteScope.ANY.allowsServer("anything") && WriteScope.ANY.allowsKind("audit"));
        assertThrows(IllegalArgumentException.class, () -> WriteScope.parse("git*hub", "call"));
        assertThrows(IllegalArgumentException.class, () -> WriteScope.parse("github", "metrics"));
        assertThrows(IllegalArgumentException.class, () -> TokenStore.create(file, "sre-scoped", Set.of(new Role.Sre()),
                WriteScope.parse("github", "call"), Instant.now()), "a scope is for gateway tokens");
        Files.writeString(file, TokenStore.hash("mcps_x") + " sam sre servers=github\n", StandardOpenOption.APPEND);
        assertEquals(1, TokenStore.read(file).badLines().size(), "nor in the file");
    }

    @Test
    void aRevokedTokenFailsAtItsNextRequestWhileTheOthersKeepWorking() throws Exception {
        Path file = folder.resolve("tokens");
        String alice = TokenStore.create(file, "alice", Set.of(new Role.Sre()));
        String bob = TokenStore.create(file, "bob", Set.of(new Role.Auditor()));
        TokenStore store = new TokenStore(file);
        assertTrue(store.authenticate(alice).isPresent());
        assertEquals(1, TokenStore.revoke(file, "alice"));
        assertTrue(store.authenticate(alice).isEmpty(), "the running service refuses it at once");
        assertEquals("bob", store.authenticate(bob).orElseThrow().name());
        assertEquals(0, TokenStore.revoke(file, "alice"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "the rewritten file is owner-only too");
    }

    @Test
    void tokenFilesAreOwnerOnlyAndTheListingShowsNamesRolesScopesAndTimesButNoSecret() throws Exception {
        Path file = folder.resolve("data").resolve("tokens");
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
        String gateway = TokenStore.create(file, "gw-fleet", Set.of(new Role.Gateway("gw-fleet")),
                WriteScope.parse("github,jira-*", "call,audit"), Instant.parse("2026-11-25T10:00:00Z"));
        TokenStore.create(file, "dora", Set.of(new Role.Team("devtools")), WriteScope.ANY,
                Instant.parse("2026-11-25T11:00:00Z"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        new TokenStore(file, clock).authenticate(gateway);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                file.resolveSibling("tokens.last-used"))));

        var out = new java.io.ByteArrayOutputStream();
        TokenAdmin.list(file, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        String listing = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(listing.contains("gw-fleet  gateway:gw-fleet  github,jira-*  audit,call  2026-11-25T10:00:00Z  "
                + "2026-11-26T08:00:00Z"), listing);
        assertTrue(listing.contains("dora      team:devtools     -              -           2026-11-25T11:00:00Z  never"),
                listing);
        assertFalse(listing.contains(gateway) || listing.contains(TokenStore.PREFIX), "never a token");
        assertFalse(listing.contains(TokenStore.hash(gateway)), "nor its hash");
    }
}

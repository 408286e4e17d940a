package io.mcpslo.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
}

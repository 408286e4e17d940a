package io.mcpslo.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void badRolesAndBadLinesAreRefusedNamingTheProblem() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("gateway:"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("team:x'; DROP"));
        Path file = folder.resolve("broken");
        Files.writeString(file, "# comment\nnot-a-hash alice sre\n");
        var error = assertThrows(IllegalArgumentException.class, () -> TokenStore.read(file));
        assertTrue(error.getMessage().contains("broken:2"), error.getMessage());
    }
}

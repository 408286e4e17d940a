package io.mcpslo.common.auth;

import java.util.Locale;

/** Checks an {@code Authorization: Bearer <token>} header against the token store and the endpoint's access. */
public final class BearerAuth {

    private final TokenStore tokens;

    public BearerAuth(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** The outcome of a check: allowed (with the principal, absent for open endpoints), 401 or 403. */
    public sealed interface Result permits Allowed, Unauthenticated, Forbidden {
    }

    public record Allowed(Principal principal) implements Result {
    }

    public record Unauthenticated(String message) implements Result {
    }

    public record Forbidden(String message) implements Result {
    }

    public Result check(String authorizationHeader, Access access) {
        if (access == Access.OPEN) {
            return new Allowed(null);
        }
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Unauthenticated("a bearer token is required (Authorization: Bearer <token>); create one with "
                    + "./mcp-slo token create --name <name> --role <role>");
        }
        String header = authorizationHeader.strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return new Unauthenticated("the Authorization header must be \"Bearer <token>\"");
        }
        return tokens.authenticate(header.substring(7).strip())
                .<Result>map(principal -> access.allows(principal) ? new Allowed(principal)
                        : new Forbidden("token " + principal.name() + " (" + String.join(",",
                                principal.roles().stream().map(Role::text).sorted().toList())
                                + ") may not " + describe(access)))
                .orElseGet(() -> new Unauthenticated("unknown or revoked token"));
    }

    private static String describe(Access access) {
        return switch (access) {
            case OPEN -> "do this";
            case GATEWAY -> "send events (needs gateway:<id>)";
            case OPERATIONS -> "read operations data (needs sre)";
            case READ -> "read SLOs, alerts and metrics (needs sre or team:<name>)";
            case MANAGE -> "change silences (needs sre)";
            case AUDIT -> "read the audit trail (needs auditor)";
            case BREAK_GLASS -> "read break-glass acts (needs auditor or sre)";
            case ADMIN -> "do this (needs admin)";
        };
    }
}

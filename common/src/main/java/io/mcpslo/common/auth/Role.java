package io.mcpslo.common.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a token may do: {@code gateway:<id>} writes events of its own source id only; {@code sre} reads operations
 * data and manages silences; {@code auditor} reads the audit trail; {@code team:<name>} reads its own team's SLOs
 * and alerts; {@code admin} may do everything.
 */
public sealed interface Role permits Role.Gateway, Role.Sre, Role.Auditor, Role.Team, Role.Admin {

    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    record Gateway(String id) implements Role {
        public Gateway {
            requireName(id, "gateway id");
        }
    }

    record Sre() implements Role {
    }

    record Auditor() implements Role {
    }

    record Team(String name) implements Role {
        public Team {
            requireName(name, "team name");
        }
    }

    record Admin() implements Role {
    }

    static Role parse(String text) {
        String value = Objects.requireNonNull(text, "role").trim();
        if (value.startsWith("gateway:")) {
            return new Gateway(value.substring("gateway:".length()));
        }
        if (value.startsWith("team:")) {
            return new Team(value.substring("team:".length()));
        }
        return switch (value) {
            case "sre" -> new Sre();
            case "auditor" -> new Auditor();
            case "admin" -> new Admin();
            default -> throw new IllegalArgumentException("unknown role \"" + value
                    + "\"; roles are gateway:<id>, sre, auditor, team:<name>, admin");
        };
    }

    static String text(Role role) {
        return switch (role) {
            case Gateway gateway -> "gateway:" + gateway.id();
            case Sre sre -> "sre";
            case Auditor auditor -> "auditor";
            case Team team -> "team:" + team.name();
            case Admin admin -> "admin";
        };
    }

    private static void requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits, '.', '_' or '-' (at most 100)");
        }
    }
}

package io.mcpslo.common.auth;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a gateway token may write: the servers its events may name (exact names, or prefixes written {@code name*};
 * {@code *} alone is every server) and the event kinds ({@code call}, {@code audit}). In the token file it is
 * {@code servers=github,jira-*} and {@code kinds=call}; a line without them is a token of any server and kind
 * (tokens made before scopes existed, and the all-in-one's own).
 */
public record WriteScope(List<String> servers, Set<String> kinds) {

    private static final Pattern SERVER = Pattern.compile("[^\\s,*]{1,200}\\*?|\\*");
    public static final Set<String> KINDS = Set.of("call", "audit");
    public static final WriteScope ANY = new WriteScope(List.of("*"), KINDS);

    public WriteScope {
        servers = List.copyOf(servers);
        kinds = Set.copyOf(kinds);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a scope names at least one server, prefix (name*) or * for all");
        }
        for (String server : servers) {
            if (!SERVER.matcher(server).matches()) {
                throw new IllegalArgumentException("server \"" + server + "\": a name, a prefix ending in *, or *;"
                        + " no spaces or commas");
            }
        }
        if (kinds.isEmpty() || !KINDS.containsAll(kinds)) {
            throw new IllegalArgumentException("kinds are call and/or audit, not " + kinds);
        }
    }

    /** Parses {@code github,jira-*} and {@code call,audit}. */
    public static WriteScope parse(String servers, String kinds) {
        return new WriteScope(List.of(servers.split(",", -1)), Set.of(kinds.split(",", -1)));
    }

    public boolean allowsServer(String server) {
        for (String allowed : servers) {
            if (allowed.equals("*") || allowed.equals(server)
                    || allowed.endsWith("*") && server.startsWith(allowed.substring(0, allowed.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    public boolean allowsKind(String kind) {
        return kinds.contains(kind);
    }

    public boolean isAny() {
        return servers.contains("*") && kinds.containsAll(KINDS);
    }

    /** As written in the token file and shown by {@code token list}. */
    public String serversText() {
        return String.join(",", servers);
    }

    public String kindsText() {
        return String.join(",", KINDS.stream().filter(kinds::contains).sorted().toList());
    }
}

package io.mcpslo.engine.slo;

import io.mcpslo.engine.rollup.RollupKey;

/** Which calls an SLO covers: a server, a tool, a server version, each optional (null means any). */
public record SloScope(String server, String tool, String serverVersion) {

    public static final SloScope ALL = new SloScope(null, null, null);

    public SloScope {
        checkPart("server", server);
        checkPart("tool", tool);
        checkPart("version", serverVersion);
    }

    private static void checkPart(String name, String value) {
        if (value != null && (value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(name + " must be 1 to 200 printable characters");
        }
    }

    public boolean matches(RollupKey key) {
        return (server == null || server.equals(key.server()))
                && (tool == null || tool.equals(key.tool()))
                && (serverVersion == null || serverVersion.equals(key.serverVersion()));
    }

    /** A stable text naming this scope; an SLO's stored history belongs to its id and this text. */
    public String fingerprint() {
        return part(server) + '/' + part(tool) + '/' + part(serverVersion);
    }

    private static String part(String value) {
        return value == null ? "*" : value;
    }

    @Override
    public String toString() {
        return fingerprint();
    }
}

package io.mcpslo.emitter;

import java.util.Objects;
import java.util.UUID;

/**
 * Who a gateway talks to over one observed transport, and for whom: the MCP server's name as the gateway knows it,
 * the user and team the calls are made for (null when unknown), and the MCP session (a fresh id when the transport
 * carries none, as stdio does).
 */
public record Upstream(String server, String user, String team, String sessionId) {

    public Upstream {
        requireText(server, "server");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /** An upstream server with no user or team known, in a session of its own. */
    public static Upstream server(String server) {
        return new Upstream(server, null, null, UUID.randomUUID().toString());
    }

    public Upstream forUser(String user, String team) {
        return new Upstream(server, user, team, sessionId);
    }

    public Upstream inSession(String sessionId) {
        return new Upstream(server, user, team, sessionId);
    }

    static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
        return value;
    }
}

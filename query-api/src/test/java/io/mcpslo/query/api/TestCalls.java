package io.mcpslo.query.api;

import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.time.Instant;
import java.util.UUID;

/** Test calls that read as their scenario: {@code TestCalls.call().server("jira").failed(TRANSPORT_ERROR, -32603, "timeout").at(t)}. */
final class TestCalls {

    private UUID eventId = UUID.randomUUID();
    private Instant ts = Instant.parse("2026-11-25T11:00:00Z");
    private String source = "gw-eu";
    private String server = "github";
    private String version = "2.4.1";
    private String tool = "search_code_v2";
    private String session;
    private String user;
    private String team;
    private String trace;
    private double durationMs = 50;
    private Outcome outcome = Outcome.OK;
    private Integer errorCode;
    private String errorType;

    private TestCalls() {
    }

    static TestCalls call() {
        return new TestCalls();
    }

    TestCalls id(UUID id) {
        this.eventId = id;
        return this;
    }

    TestCalls at(Instant at) {
        this.ts = at;
        return this;
    }

    TestCalls source(String source) {
        this.source = source;
        return this;
    }

    TestCalls server(String server) {
        this.server = server;
        return this;
    }

    TestCalls version(String version) {
        this.version = version;
        return this;
    }

    TestCalls tool(String tool) {
        this.tool = tool;
        return this;
    }

    TestCalls session(String session) {
        this.session = session;
        return this;
    }

    TestCalls user(String user) {
        this.user = user;
        return this;
    }

    TestCalls team(String team) {
        this.team = team;
        return this;
    }

    TestCalls trace(String trace) {
        this.trace = trace;
        return this;
    }

    TestCalls took(double ms) {
        this.durationMs = ms;
        return this;
    }

    TestCalls failed(Outcome outcome, Integer errorCode, String errorType) {
        this.outcome = outcome;
        this.errorCode = errorCode;
        this.errorType = errorType;
        return this;
    }

    CallEvent build() {
        var envelope = new EventEnvelope(eventId, ts, source, server, version, tool, "tools/call", "2025-11-25", session,
                user, team, trace, null);
        return new CallEvent(envelope, durationMs, outcome, errorCode, errorType, 0, null);
    }
}

package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The simulated gateway's events, made but not sent: several servers and tools (search_code as _v1 and _v2),
 * lognormal latencies, background tool and transport errors, denials and rate limits, and incidents on jira.
 * The live simulator posts them to the collector; a back-fill also hands past ones to the bulk import.
 */
final class SimulatedCalls {

    /** One simulated tool: where it lives, its median latency, and how often it fails on its own. */
    record SimulatedTool(String server, String version, String tool, String method, double medianMs, double sigma,
                         double toolErrorRate, double transportErrorRate, int weight) {
    }

    static final List<SimulatedTool> TOOLS = List.of(
            new SimulatedTool("github", "2.4.1", "search_code_v1", "tools/call", 240, 0.7, 0.03, 0.004, 3),
            new SimulatedTool("github", "2.4.1", "search_code_v2", "tools/call", 120, 0.6, 0.01, 0.003, 6),
            new SimulatedTool("github", "2.4.1", "create_pull_request", "tools/call", 650, 0.5, 0.02, 0.005, 1),
            new SimulatedTool("jira", "1.9.0", "search_issues", "tools/call", 180, 0.8, 0.02, 0.006, 4),
            new SimulatedTool("jira", "1.9.0", "create_issue", "tools/call", 420, 0.6, 0.015, 0.006, 2),
            new SimulatedTool("filesystem", "0.6.2", "read_file", "tools/call", 8, 0.9, 0.01, 0.001, 6),
            new SimulatedTool("filesystem", "0.6.2", "write_file", "tools/call", 15, 0.9, 0.02, 0.001, 2),
            new SimulatedTool("github", "2.4.1", null, "tools/list", 35, 0.4, 0, 0.002, 1));

    private final Random random;
    private final int totalWeight = TOOLS.stream().mapToInt(SimulatedTool::weight).sum();

    SimulatedCalls(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /**
     * [from, end) of past traffic, oldest minute first: {@code perMinute} calls for every minute, with a ten-minute
     * jira incident every day at 14:00 UTC, each call tagged with {@code runTag} as its session id, so a run can
     * count its own calls in storage. Stops early when {@code goOn} turns false.
     */
    void past(Instant from, Instant end, int perMinute, String runTag, BooleanSupplier goOn,
              Consumer<ObjectNode> each) {
        Instant minute = from;
        while (minute.isBefore(end) && goOn.getAsBoolean()) {
            int minuteOfDay = minute.atZone(ZoneOffset.UTC).getHour() * 60 + minute.atZone(ZoneOffset.UTC).getMinute();
            boolean incident = minuteOfDay >= 14 * 60 && minuteOfDay < 14 * 60 + 10;
            for (int i = 0; i < perMinute; i++) {
                each.accept(call(minute.plusMillis(random.nextInt(60_000)), incident).put("session_id", runTag));
            }
            minute = minute.plus(Duration.ofMinutes(1));
        }
    }

    ObjectNode call(Instant ts, boolean incident) {
        SimulatedTool tool = pick();
        boolean hit = incident && tool.server().equals("jira");
        double latency = Math.exp(Math.log(tool.medianMs() * (hit ? 5 : 1)) + tool.sigma() * random.nextGaussian());
        double roll = random.nextDouble();
        double transport = hit ? 0.4 : tool.transportErrorRate();
        String outcome;
        Integer errorCode = null;
        String errorType = null;
        if (roll < transport) {
            outcome = "transport_error";
            boolean timeout = random.nextBoolean();
            errorCode = timeout ? -32001 : 503;
            errorType = timeout ? "timeout" : "http_5xx";
            latency = timeout ? 30_000 : latency;
        } else if (roll < transport + tool.toolErrorRate()) {
            outcome = "tool_error";
            errorType = "tool_error";
        } else if (roll < transport + tool.toolErrorRate() + 0.003) {
            outcome = "denied";
            errorCode = 403;
        } else if (roll < transport + tool.toolErrorRate() + 0.005) {
            outcome = "rate_limited";
            errorCode = 429;
        } else {
            outcome = "ok";
        }
        ObjectNode event = envelope(ts, "call", tool.server(), tool.version(), tool.tool(), tool.method());
        event.put("duration_ms", Math.round(latency * 10) / 10.0);
        event.put("outcome", outcome);
        if (errorCode != null) {
            event.put("error_code", errorCode);
        }
        if (errorType != null) {
            event.put("error_type", errorType);
        }
        if (tool.method().equals("tools/list")) {
            event.put("response_bytes", 40_000 + random.nextInt(20_000));
        }
        return event;
    }

    ObjectNode breakGlass(Instant ts, String action, String reason) {
        ObjectNode event = envelope(ts, "audit", "jira", "1.9.0", null, null);
        event.put("actor", "oncall@example.com");
        event.put("action", action);
        event.put("resource", "jira");
        event.put("decision", "allow");
        event.put("outcome", "ok");
        event.put("reason", reason);
        return event;
    }

    private ObjectNode envelope(Instant ts, String kind, String server, String version, String tool, String method) {
        ObjectNode event = EventCodec.MAPPER.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("kind", kind);
        event.put("ts", ts.toString());
        event.put("source", LocalTokens.GATEWAY_ID);
        event.put("server", server);
        event.put("server_version", version);
        if (tool != null) {
            event.put("tool", tool);
        }
        if (method != null) {
            event.put("method", method);
        }
        event.put("session_id", "sim-session-" + random.nextInt(50));
        event.put("user", "user" + random.nextInt(20) + "@example.com");
        event.put("team", server.equals("filesystem") ? "platform" : "devtools");
        event.put("protocol_version", "2025-11-25");
        return event;
    }

    private SimulatedTool pick() {
        int ticket = random.nextInt(totalWeight);
        for (SimulatedTool tool : TOOLS) {
            ticket -= tool.weight();
            if (ticket < 0) {
                return tool;
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

}

package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays realistic MCP gateway traffic through the collector: several servers and tools (search_code as
 * _v1 and _v2), lognormal latencies, background tool and transport errors, denials and rate limits, and
 * an incident burst on one server with a break-glass act at its start and end.
 */
public final class TrafficSimulator implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficSimulator.class);

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

    /**
     * Traffic settings: where to send (with a gateway token for {@link LocalTokens#GATEWAY_ID}), events per second,
     * and when the incident on jira starts and how long it lasts.
     */
    public record Options(URI collector, String token, int eventsPerSecond, Duration incidentAfter,
                          Duration incidentLength, long seed) {
    }

    private final Options options;
    private final Clock clock;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final int totalWeight = TOOLS.stream().mapToInt(SimulatedTool::weight).sum();

    public TrafficSimulator(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.random = new Random(options.seed());
    }

    @Override
    public void run() {
        Instant started = clock.instant();
        Instant lastReport = started;
        boolean incidentAnnounced = false;
        boolean incidentEnded = false;
        while (running.get()) {
            long tickStart = System.nanoTime();
            Instant now = clock.instant();
            Duration elapsed = Duration.between(started, now);
            boolean incident = elapsed.compareTo(options.incidentAfter()) >= 0
                    && elapsed.compareTo(options.incidentAfter().plus(options.incidentLength())) < 0;
            ArrayNode batch = EventCodec.MAPPER.createArrayNode();
            if (incident && !incidentAnnounced) {
                incidentAnnounced = true;
                batch.add(breakGlass(now, "server.disable", "simulated incident: jira answering 5xx and timeouts"));
                LOG.info("simulator: incident burst on jira starts now for {}", options.incidentLength());
            } else if (!incident && incidentAnnounced && !incidentEnded) {
                incidentEnded = true;
                batch.add(breakGlass(now, "tool.enable", "simulated incident over"));
                LOG.info("simulator: incident burst over");
            }
            for (int i = 0; i < options.eventsPerSecond(); i++) {
                batch.add(call(now.minusMillis(random.nextInt(1000)), incident));
            }
            post(batch);
            if (Duration.between(lastReport, now).toSeconds() >= 10) {
                lastReport = now;
                LOG.info("simulator: {} events sent, {} refused{}", sent.get(), refused.get(),
                        incident ? " — incident burst on jira in progress" : "");
            }
            long sleepMs = 1000 - (System.nanoTime() - tickStart) / 1_000_000;
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private ObjectNode call(Instant ts, boolean incident) {
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

    private ObjectNode breakGlass(Instant ts, String action, String reason) {
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

    /**
     * Sends [end − span, end) of past traffic, oldest first, as fast as the collector takes it: {@code perMinute}
     * calls for every minute, with a ten-minute jira incident every day at 14:00 UTC, each call tagged with
     * {@code runTag} as its session id, so the run can count its own calls in storage. Sent in time order, the
     * stream never sees it as late (unless it has already seen later traffic). Returns the number of events the
     * collector acknowledged.
     */
    public long backfill(Instant end, Duration span, int perMinute, String runTag) {
        Instant minute = end.minus(span);
        ArrayNode batch = EventCodec.MAPPER.createArrayNode();
        long before = sent.get();
        while (minute.isBefore(end) && running.get()) {
            int minuteOfDay = minute.atZone(java.time.ZoneOffset.UTC).getHour() * 60
                    + minute.atZone(java.time.ZoneOffset.UTC).getMinute();
            boolean incident = minuteOfDay >= 14 * 60 && minuteOfDay < 14 * 60 + 10;
            for (int i = 0; i < perMinute; i++) {
                batch.add(call(minute.plusMillis(random.nextInt(60_000)), incident).put("session_id", runTag));
            }
            if (batch.size() >= 5_000) {
                post(batch);
                batch = EventCodec.MAPPER.createArrayNode();
            }
            minute = minute.plus(Duration.ofMinutes(1));
        }
        if (!batch.isEmpty()) {
            post(batch);
        }
        LOG.info("simulator: back-filled {} of traffic ({} events, {} refused)", span, sent.get() - before, refused.get());
        return sent.get() - before;
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

    private void post(ArrayNode batch) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(options.collector())
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + options.token())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.MAPPER.writeValueAsBytes(batch))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                sent.addAndGet(batch.size());
            } else {
                refused.addAndGet(batch.size());
                LOG.warn("simulator: collector answered {}: {}", response.statusCode(),
                        response.body().length() > 300 ? response.body().substring(0, 300) : response.body());
            }
        } catch (IOException e) {
            refused.addAndGet(batch.size());
            LOG.warn("simulator: collector unreachable: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        running.set(false);
    }
}

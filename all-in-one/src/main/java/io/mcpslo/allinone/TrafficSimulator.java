package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final SimulatedCalls calls;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public TrafficSimulator(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.calls = new SimulatedCalls(options.seed());
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
                batch.add(calls.breakGlass(now, "server.disable", "simulated incident: jira answering 5xx and timeouts"));
                LOG.info("simulator: incident burst on jira starts now for {}", options.incidentLength());
            } else if (!incident && incidentAnnounced && !incidentEnded) {
                incidentEnded = true;
                batch.add(calls.breakGlass(now, "tool.enable", "simulated incident over"));
                LOG.info("simulator: incident burst over");
            }
            for (int i = 0; i < options.eventsPerSecond(); i++) {
                batch.add(calls.call(now.minusMillis(calls.random().nextInt(1000)), incident));
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

    /**
     * Sends [end − span, end) of past traffic, oldest first, as fast as the collector takes it: {@code perMinute}
     * calls for every minute, with a ten-minute jira incident every day at 14:00 UTC, each call tagged with
     * {@code runTag} as its session id, so the run can count its own calls in storage. Sent in time order, the
     * stream never sees it as late (unless it has already seen later traffic). Returns the number of events the
     * collector acknowledged.
     */
    public long backfill(Instant end, Duration span, int perMinute, String runTag) {
        ArrayNode[] batch = {EventCodec.MAPPER.createArrayNode()};
        long before = sent.get();
        calls.past(end.minus(span), end, perMinute, runTag, running::get, call -> {
            batch[0].add(call);
            if (batch[0].size() >= 5_000) {
                post(batch[0]);
                batch[0] = EventCodec.MAPPER.createArrayNode();
            }
        });
        if (!batch[0].isEmpty()) {
            post(batch[0]);
        }
        LOG.info("simulator: back-filled {} of traffic ({} events, {} refused)", span, sent.get() - before, refused.get());
        return sent.get() - before;
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

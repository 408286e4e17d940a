package io.mcpslo.emitter;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the emitter reaches the collector and how much it may hold back.
 *
 * @param collector      the collector's base URL ({@code http://127.0.0.1:8070}); events go to {@code /v1/events}
 * @param gatewayToken   a {@code gateway:<source>} bearer token
 * @param source         the gateway's id: the {@code source} of every event, as the token names it
 * @param queueCapacity  observations held while the collector is slow or down; beyond it they are dropped, counted
 * @param batchSize      events per POST at most
 * @param flushInterval  how long an event may wait for its batch to fill
 * @param maxAttempts    tries per batch while the collector answers 5xx/429 or cannot be reached
 * @param retryBackoff   the wait before the second try, doubled before each further one
 * @param requestTimeout a POST, and an MCP request left without an answer (then a {@code timeout} transport error)
 * @param closeTimeout   how long {@code close()} may take to flush what is queued
 */
public record EmitterSettings(URI collector, String gatewayToken, String source, int queueCapacity, int batchSize,
                              Duration flushInterval, int maxAttempts, Duration retryBackoff, Duration requestTimeout,
                              Duration closeTimeout) {

    public EmitterSettings {
        Objects.requireNonNull(collector, "collector");
        if (!"http".equals(collector.getScheme()) && !"https".equals(collector.getScheme())) {
            throw new IllegalArgumentException("collector: must be an http or https URL, was " + collector);
        }
        Upstream.requireText(gatewayToken, "gatewayToken");
        Upstream.requireText(source, "source");
        positive(queueCapacity, "queueCapacity");
        positive(batchSize, "batchSize");
        positive(maxAttempts, "maxAttempts");
        positive(flushInterval, "flushInterval");
        positive(retryBackoff, "retryBackoff");
        positive(requestTimeout, "requestTimeout");
        positive(closeTimeout, "closeTimeout");
    }

    /** Defaults: 10,000 queued, batches of 500 or 1 s, 3 tries from 1 s, 30 s timeouts, 5 s to flush on close. */
    public static EmitterSettings defaults(URI collector, String gatewayToken, String source) {
        return new EmitterSettings(collector, gatewayToken, source, 10_000, 500, Duration.ofSeconds(1), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /** {@code /v1/events} under the collector's URL, its path kept (a collector behind a proxy's prefix). */
    URI eventsUri() {
        String base = collector.toString();
        return URI.create(base.endsWith("/") ? base + "v1/events" : base + "/v1/events");
    }

    private static void positive(int value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": must be positive, was " + value);
        }
    }

    private static void positive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": must be positive, was " + value);
        }
    }
}

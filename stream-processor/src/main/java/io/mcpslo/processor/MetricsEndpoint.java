package io.mcpslo.processor;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/** GET /metrics (Prometheus) and GET /health for the processor, which serves nothing else over HTTP. */
final class MetricsEndpoint implements AutoCloseable {

    /** The streams state an instance without the {@code streams} role reports. */
    static final String NOT_RUN_HERE = "NOT_RUN_HERE";

    private final HttpServer server;

    /**
     * Health is "down" (503) when the streams are not running, "degraded" (200) while the store does not take
     * some tables' rows (Kafka holds them; nothing is lost, storage lags), "up" otherwise.
     */
    MetricsEndpoint(String host, int port, PrometheusMeterRegistry registry, ProcessorRoles roles,
                    Supplier<String> health, Supplier<Map<String, Instant>> unavailableTables) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", exchange -> {
            String state = health.get();
            boolean up = state.equals("RUNNING") || state.equals("REBALANCING") || state.equals(NOT_RUN_HERE);
            Map<String, Instant> waiting = unavailableTables.get();
            String status = !up ? "down" : waiting.isEmpty() ? "up" : "degraded";
            StringBuilder storage = new StringBuilder("{");
            waiting.forEach((table, since) -> storage.append(storage.length() > 1 ? "," : "")
                    .append('"').append(table).append("\":\"unavailable since ").append(since).append('"'));
            storage.append('}');
            respond(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + status
                    + "\",\"service\":\"stream-processor\",\"roles\":\"" + roles.describe()
                    + "\",\"streams\":\"" + state
                    + "\",\"storage_waiting\":" + storage + "}");
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

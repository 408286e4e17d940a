package io.mcpslo.processor;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** GET /metrics (Prometheus) and GET /health for the processor, which serves nothing else over HTTP. */
final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;

    MetricsEndpoint(String host, int port, PrometheusMeterRegistry registry, Supplier<String> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", exchange -> {
            String state = health.get();
            boolean up = state.equals("RUNNING") || state.equals("REBALANCING");
            respond(exchange, up ? 200 : 503, "application/json",
                    "{\"status\":\"" + (up ? "up" : "down") + "\",\"service\":\"stream-processor\",\"streams\":\"" + state + "\"}");
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

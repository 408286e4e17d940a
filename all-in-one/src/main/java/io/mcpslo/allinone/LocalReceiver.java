package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for PagerDuty, Alertmanager or a chat webhook in the all-in-one mode: it accepts any POST, keeps the
 * last 1000 bodies (with the path they came to, e.g. /pagerduty) for {@code GET /pages}, and appends each to an
 * NDJSON file, so the pages the simulated incident causes can be seen.
 */
public final class LocalReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalReceiver.class);
    private static final int KEPT = 1000;

    private final HttpServer server;
    private final Path log;
    private final Deque<ObjectNode> received = new ArrayDeque<>();

    private LocalReceiver(HttpServer server, Path log) {
        this.server = server;
        this.log = log;
    }

    public static LocalReceiver start(String bindHost, int port, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            HttpServer server = HttpServer.create(new InetSocketAddress(bindHost, port), 0);
            LocalReceiver receiver = new LocalReceiver(server, log);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local test receiver on " + bindHost + ":" + port
                    + " (LOCAL_RECEIVER_PORT)", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public Path log() {
        return log;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET") && exchange.getRequestURI().getPath().equals("/pages")) {
                byte[] body;
                synchronized (received) {
                    ArrayNode pages = EventCodec.MAPPER.createArrayNode();
                    received.forEach(pages::add);
                    body = EventCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(pages);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = exchange.getRequestBody().readNBytes(1024 * 1024);
            JsonNode body;
            try {
                body = EventCodec.MAPPER.readTree(bytes);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            ObjectNode page = EventCodec.MAPPER.createObjectNode();
            page.put("received_at", Instant.now().toString());
            page.put("path", exchange.getRequestURI().getPath());
            page.set("body", body);
            synchronized (received) {
                received.addLast(page);
                while (received.size() > KEPT) {
                    received.removeFirst();
                }
                Files.writeString(log, EventCodec.MAPPER.writeValueAsString(page) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            LOG.info("local receiver got a page on {}: {}", page.get("path").asText(), summary(body));
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private static String summary(JsonNode body) {
        for (String field : new String[] {"summary", "text"}) {
            if (body.hasNonNull(field)) {
                return body.get(field).asText();
            }
        }
        if (body.path("commonAnnotations").hasNonNull("summary")) { // Alertmanager
            return body.get("commonAnnotations").get("summary").asText();
        }
        JsonNode payload = body.path("payload").path("summary");
        return payload.isMissingNode() ? body.path("event_action").asText("?") + " " + body.path("dedup_key").asText()
                : payload.asText();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

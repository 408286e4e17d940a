package io.mcpslo.processor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP receiver on loopback that records every body it is sent and answers with a set status. */
final class RecordingReceiver implements AutoCloseable {

    private final int port;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private volatile int status = 202;
    private HttpServer server;

    private RecordingReceiver(int port) {
        this.port = port;
    }

    /** A receiver whose port is chosen but which does not listen yet: it is "down". */
    static RecordingReceiver down() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new RecordingReceiver(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RecordingReceiver up() {
        RecordingReceiver receiver = down();
        receiver.start();
        return receiver;
    }

    void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            bodies.add(EventCodec.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    void answer(int status) {
        this.status = status;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    List<JsonNode> bodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}

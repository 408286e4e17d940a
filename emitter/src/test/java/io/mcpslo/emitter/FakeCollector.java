package io.mcpslo.emitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on a free port standing in for the collector's /v1/events: keeps each batch it was sent. */
final class FakeCollector implements AutoCloseable {

    final List<JsonNode> batches = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger requests = new AtomicInteger();
    /** The body answered with a non-200 status. */
    volatile String errorBody = "";
    /** Each request waits for this before answering (count 0: answers at once). */
    volatile CountDownLatch holdAnswers = new CountDownLatch(0);
    private final HttpServer server;

    FakeCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/events", exchange -> {
            requests.incrementAndGet();
            try {
                holdAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            int answer = status.get();
            if (answer == 200) {
                batches.add(EventCodec.MAPPER.readTree(body));
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            }
            byte[] answerBody = answer == 200 ? new byte[0] : errorBody.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, answerBody.length == 0 ? -1 : answerBody.length);
            exchange.getResponseBody().write(answerBody);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<JsonNode> events() {
        return batches.stream().flatMap(batch -> java.util.stream.StreamSupport.stream(batch.spliterator(), false))
                .toList();
    }

    @Override
    public void close() {
        holdAnswers.countDown();
        server.stop(0);
    }
}

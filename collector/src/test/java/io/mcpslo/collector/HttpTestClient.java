package io.mcpslo.collector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts to a collector started on a random port. */
final class HttpTestClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The bearer token sent with every request, set by the test that started the collector. */
    static volatile String token;

    private HttpTestClient() {
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    static HttpResponse<String> post(int port, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return HTTP.send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package io.mcpslo.processor.notify;

import io.mcpslo.engine.notify.ReceiverConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One POST of a body to a receiver, and how it went: what every delivery loop sends through. */
final class ReceiverPost {

    /** Delivered, refused for good (a 4xx other than 408 and 429: sending it again cannot help), or to retry. */
    record Outcome(boolean delivered, boolean permanent, int status, String error) {
    }

    private ReceiverPost() {
    }

    /** Throws {@link InterruptedException} when the thread was interrupted while waiting for the answer. */
    static Outcome send(HttpClient http, ReceiverConfig receiver, Duration timeout, byte[] body, String idempotencyKey)
            throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(receiver.url())
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "mcp-slo")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(true, false, status, "");
            }
            boolean retryable = status == 408 || status == 429 || status >= 500;
            return new Outcome(false, !retryable, status, abbreviate(response.body()));
        } catch (IOException e) {
            return new Outcome(false, false, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}

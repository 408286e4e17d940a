package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Times the built-in pages in a real headless chromium, driven over the DevTools protocol: each load navigates the
 * page afresh and waits until its script has rendered everything it fetched ({@code data-loaded-ms} on the body,
 * set by the page itself at the end of its first load, in milliseconds since navigation began). So the figure is what
 * a viewer waits for: HTML, scripts, every API call the page makes and the drawing, in a browser.
 */
final class PageTimer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(120);

    private final Process chromium;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private PageTimer(Process chromium, Path profile, WebSocket socket) {
        this.chromium = chromium;
        this.profile = profile;
        this.socket = socket;
    }

    /** The installed chromium, or empty when there is none (the benchmark then says so and skips page timings). */
    static Optional<String> chromium() {
        return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").filter(path -> Files.isExecutable(Path.of(path)))
                .findFirst();
    }

    static PageTimer start(String chromiumPath) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("mcp-slo-bench-chromium");
        Process process = new ProcessBuilder(chromiumPath, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "--window-size=1400,1100", "about:blank").redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String browserUrl = null;
        for (String line; (line = output.readLine()) != null; ) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                browserUrl = matcher.group(1);
                break;
            }
        }
        if (browserUrl == null) {
            process.destroyForcibly();
            throw new IOException("chromium did not open its DevTools port");
        }
        Thread.ofVirtual().start(() -> output.lines().forEach(line -> { })); // keep its output drained
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String listUrl = "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list";
        JsonNode targets = EventCodec.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(listUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String pageUrl = null;
        for (JsonNode target : targets) {
            if (target.path("type").asText().equals("page")) {
                pageUrl = target.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            process.destroyForcibly();
            throw new IOException("chromium has no page to drive: " + targets);
        }
        PageTimer[] timer = new PageTimer[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    timer[0].received(message.toString());
                    message.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
        timer[0] = new PageTimer(process, profile, socket);
        return timer[0];
    }

    private void received(String text) {
        try {
            JsonNode message = EventCodec.MAPPER.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                if (reply != null) {
                    reply.complete(message);
                }
            }
        } catch (IOException e) {
            // an event we cannot read is not one we wait for
        }
    }

    private JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode command = EventCodec.MAPPER.createObjectNode().put("id", id).put("method", method);
        command.set("params", EventCodec.MAPPER.valueToTree(params));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(EventCodec.MAPPER.writeValueAsString(command), true).join();
        JsonNode answer = reply.get(30, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IOException(method + ": " + answer.get("error"));
        }
        return answer.path("result");
    }

    /**
     * Loads the page {@code times} times (after one unmeasured load that fills the browser's cache, as for a viewer
     * who keeps the page open) and returns each load's milliseconds until the page had rendered its data.
     */
    List<Double> time(String url, int times) throws Exception {
        Double[] millis = new Double[times];
        for (int i = -1; i < times; i++) {
            // a blank page between loads, so the previous load's document cannot answer for this one
            send("Page.navigate", Map.of("url", "about:blank"));
            send("Page.navigate", Map.of("url", url));
            long deadline = System.nanoTime() + PAGE_TIMEOUT.toNanos();
            double loaded = -1;
            while (loaded < 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the page did not finish loading within " + PAGE_TIMEOUT.toSeconds() + " s: " + url);
                }
                Thread.sleep(20);
                JsonNode result = send("Runtime.evaluate", Map.of("expression",
                        "(document.getElementById('errors') && document.getElementById('errors').textContent) ? 'error: '"
                                + " + document.getElementById('errors').textContent : (location.protocol !== 'about:'"
                                + " && document.body && document.body.dataset.loadedMs"
                                + " ? document.body.dataset.loadedMs : '')", "returnByValue", true));
                String value = result.path("result").path("value").asText("");
                if (value.startsWith("error: ")) {
                    throw new IOException("the page reported " + value + ": " + url);
                }
                if (!value.isEmpty()) {
                    loaded = Double.parseDouble(value);
                }
            }
            if (i >= 0) {
                millis[i] = loaded;
            }
        }
        return List.of(millis);
    }

    @Override
    public void close() {
        socket.abort();
        chromium.destroy();
        try {
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException | InterruptedException e) {
            // a temporary profile left behind is harmless
        }
    }
}

package io.mcpslo.emitter;

import io.micrometer.core.instrument.Clock;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * An MCP client transport that hands every request it carries, and the answer to it, to the emitter. It adds no
 * wait and no failure of its own: it remembers the request's send time, and when the answer arrives hands over
 * references; a request with no answer within the request timeout becomes a {@code timeout}, and one still open
 * when the transport closes a {@code disconnect}.
 */
final class ObservedClientTransport implements McpClientTransport {

    private static final System.Logger LOG = System.getLogger(ObservedClientTransport.class.getName());

    /** A request on its way: what was asked, and when. */
    private record Sent(String method, Object params, Instant at, long startNanos) {
    }

    private final McpClientTransport delegate;
    private final Upstream upstream;
    private final Consumer<Exchange> observer;
    private final Runnable observationFailed;
    private final Clock clock;
    private final long timeoutNanos;
    private final int maxPending;
    private final Map<String, Sent> pending = new ConcurrentHashMap<>();
    private volatile String protocolVersion;
    private volatile String serverVersion;
    private volatile String agent;

    ObservedClientTransport(McpClientTransport delegate, Upstream upstream, Consumer<Exchange> observer,
                            Runnable observationFailed, Clock clock, Duration requestTimeout, int maxPending) {
        this.delegate = delegate;
        this.upstream = upstream;
        this.observer = observer;
        this.observationFailed = observationFailed;
        this.clock = clock;
        this.timeoutNanos = requestTimeout.toNanos();
        this.maxPending = maxPending;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(incoming -> handler.apply(incoming.doOnNext(this::received)));
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (!(message instanceof McpSchema.JSONRPCRequest request)) {
            return delegate.sendMessage(message);
        }
        String key = safely(() -> sending(request));
        return delegate.sendMessage(message)
                .doOnError(error -> safely(() -> end(key, new Exchange.NoAnswer(error.getClass().getSimpleName()))));
    }

    private String sending(McpSchema.JSONRPCRequest request) {
        if (request.params() instanceof McpSchema.InitializeRequest initialize && initialize.clientInfo() != null) {
            agent = initialize.clientInfo().name() + "/" + initialize.clientInfo().version();
        }
        if (pending.size() >= maxPending) {
            observationFailed.run(); // answers never came back: stop remembering rather than grow without bound
            return null;
        }
        String key = key(request.id());
        pending.put(key, new Sent(request.method(), request.params(), Instant.ofEpochMilli(clock.wallTime()),
                clock.monotonicTime()));
        return key;
    }

    private void received(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCResponse response) {
            safely(() -> {
                if (response.error() != null) {
                    end(key(response.id()), new Exchange.JsonRpcError(response.error().code()));
                } else {
                    end(key(response.id()), new Exchange.Result(response.result()));
                }
                return null;
            });
        }
    }

    private Void end(String key, Exchange.End end) {
        Sent sent = key == null ? null : pending.remove(key);
        if (sent == null) {
            return null;
        }
        if (McpSchema.METHOD_INITIALIZE.equals(sent.method()) && end instanceof Exchange.Result result) {
            negotiated(result.result());
        }
        observer.accept(new Exchange(upstream, sent.method(), sent.params(), sent.at(),
                clock.monotonicTime() - sent.startNanos(), end, protocolVersion, serverVersion, agent));
        return null;
    }

    /** The revision and server version the initialize answer names: every later call is classified under them. */
    private void negotiated(Object result) {
        if (result instanceof McpSchema.InitializeResult initialized) {
            protocolVersion = initialized.protocolVersion();
            serverVersion = initialized.serverInfo() == null ? null : initialized.serverInfo().version();
        } else if (result instanceof Map<?, ?> map) {
            protocolVersion = map.get("protocolVersion") instanceof String text ? text : null;
            serverVersion = map.get("serverInfo") instanceof Map<?, ?> info && info.get("version") instanceof String v
                    ? v : null;
        }
    }

    /** Requests unanswered for longer than the request timeout end as a {@code timeout} transport error. */
    void expireOverdue() {
        long now = clock.monotonicTime();
        pending.forEach((key, sent) -> {
            if (now - sent.startNanos() > timeoutNanos) {
                end(key, new Exchange.NoAnswer("timeout"));
            }
        });
    }

    private void disconnected() {
        pending.keySet().forEach(key -> end(key, new Exchange.NoAnswer("disconnect")));
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully().doFinally(signal -> safely(() -> {
            disconnected();
            return null;
        }));
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            safely(() -> {
                disconnected();
                return null;
            });
        }
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    /** JSON-RPC ids are strings or integers, and "1" is not 1; an integer may come back as another Number type. */
    private static String key(Object id) {
        return id instanceof Number number ? "n:" + number.longValue() : "s:" + id;
    }

    /** Observing must never break the gateway's request: a failure here is counted and logged, never thrown. */
    private <T> T safely(java.util.function.Supplier<T> observation) {
        try {
            return observation.get();
        } catch (RuntimeException e) {
            observationFailed.run();
            LOG.log(System.Logger.Level.WARNING, "mcp-slo emitter: could not observe an MCP message", e);
            return null;
        }
    }
}

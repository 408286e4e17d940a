package io.mcpslo.emitter;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** A client transport with the server played by the test: it keeps what was sent and delivers answers on demand. */
final class InMemoryTransport implements McpClientTransport {

    final List<McpSchema.JSONRPCMessage> sent = new CopyOnWriteArrayList<>();
    private Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    boolean closed;

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        this.handler = handler;
        return Mono.empty();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        sent.add(message);
        return Mono.empty();
    }

    /** The server answers: the message goes through the handler the client connected with. */
    void answer(McpSchema.JSONRPCMessage message) {
        handler.apply(Mono.just(message)).block();
    }

    void result(Object id, Object result) {
        answer(McpSchema.JSONRPCResponse.result(id, result));
    }

    void error(Object id, int code) {
        answer(McpSchema.JSONRPCResponse.error(id, new McpSchema.JSONRPCResponse.JSONRPCError(code, "refused")));
    }

    @Override
    public Mono<Void> closeGracefully() {
        closed = true;
        return Mono.empty();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        throw new UnsupportedOperationException("not needed by these tests");
    }
}

package io.mcpslo.emitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MockClock;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ObservedClientTransportTest {

    private final MockClock clock = new MockClock();
    private final InMemoryTransport upstream = new InMemoryTransport();
    private final List<Exchange> observed = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    private ObservedClientTransport observe(Consumer<Exchange> observer) {
        var transport = new ObservedClientTransport(upstream, Upstream.server("everything"), observer,
                failures::incrementAndGet, clock, Duration.ofSeconds(30), 100);
        transport.connect(message -> message).block();
        return transport;
    }

    private static McpSchema.JSONRPCRequest initialize(Object id) {
        return new McpSchema.JSONRPCRequest("initialize", id, new McpSchema.InitializeRequest("2025-11-25",
                McpSchema.ClientCapabilities.builder().build(), new McpSchema.Implementation("gw", "1.2")));
    }

    @Test
    void eachAnswerIsTimedFromItsRequestAndLaterCallsCarryTheNegotiatedRevisionAndServerVersion() {
        McpClientTransport transport = observe(observed::add);
        transport.sendMessage(initialize(1)).block();
        clock.add(3, TimeUnit.MILLISECONDS);
        upstream.result(1, Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "serverInfo", Map.of("name", "everything", "version", "2.0.0")));
        transport.sendMessage(new McpSchema.JSONRPCNotification("notifications/initialized")).block();
        transport.sendMessage(new McpSchema.JSONRPCRequest("tools/call", "a", new McpSchema.CallToolRequest("echo",
                Map.of()))).block();
        clock.add(40, TimeUnit.MILLISECONDS);
        upstream.error(1L, -32602); // an id nothing is waiting for: ignored
        upstream.error("a", -32602);

        assertEquals(2, observed.size(), "the notification and the stray answer are no calls: " + observed);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(3), observed.get(0).durationNanos());
        Exchange call = observed.get(1);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(40), call.durationNanos());
        assertEquals("2025-06-18", call.protocolVersion());
        assertEquals("2.0.0", call.serverVersion());
        assertEquals("gw/1.2", call.agent());
        assertEquals(new Exchange.JsonRpcError(-32602), call.end());
        assertEquals(3, upstream.sent.size(), "every message still reached the server");
    }

    @Test
    void aRequestLeftUnansweredPastTheTimeoutIsATimeoutAndOneOpenAtCloseADisconnect() {
        var transport = observe(observed::add);
        transport.sendMessage(new McpSchema.JSONRPCRequest("tools/list", 7, null)).block();
        clock.add(29, TimeUnit.SECONDS);
        transport.expireOverdue();
        assertEquals(List.of(), observed, "not overdue yet");
        transport.sendMessage(new McpSchema.JSONRPCRequest("ping", 8, null)).block();
        clock.add(2, TimeUnit.SECONDS);
        transport.expireOverdue();
        assertEquals(1, observed.size());
        assertEquals(new Exchange.NoAnswer("timeout"), observed.get(0).end());
        assertEquals("tools/list", observed.get(0).method());

        transport.closeGracefully().block();
        assertEquals(2, observed.size());
        assertEquals(new Exchange.NoAnswer("disconnect"), observed.get(1).end());
        assertTrue(upstream.closed);
        upstream.result(7, Map.of());
        assertEquals(2, observed.size(), "a late answer to an expired request counts no second time");
    }

    @Test
    void anObserverThatFailsNeverBreaksTheGatewaysRequestOrItsAnswer() {
        var delivered = new CopyOnWriteArrayList<McpSchema.JSONRPCMessage>();
        var transport = new ObservedClientTransport(upstream, Upstream.server("everything"), exchange -> {
            throw new IllegalStateException("observer broken");
        }, failures::incrementAndGet, clock, Duration.ofSeconds(30), 100);
        transport.connect(message -> message.doOnNext(delivered::add)).block();
        transport.sendMessage(new McpSchema.JSONRPCRequest("tools/list", 1, null)).block();
        upstream.result(1, Map.of("tools", List.of()));
        assertEquals(1, upstream.sent.size());
        assertInstanceOf(McpSchema.JSONRPCResponse.class, delivered.get(0), "the client still got its answer");
        assertEquals(1, failures.get(), "the failure is counted");
    }

    @Test
    void requestsBeyondTheBoundAreNotRememberedButStillSent() {
        var transport = new ObservedClientTransport(upstream, Upstream.server("everything"), observed::add,
                failures::incrementAndGet, clock, Duration.ofSeconds(30), 2);
        transport.connect(message -> message).block();
        for (int id = 0; id < 5; id++) {
            transport.sendMessage(new McpSchema.JSONRPCRequest("ping", id, null)).block();
        }
        assertEquals(5, upstream.sent.size());
        assertEquals(3, failures.get());
    }
}

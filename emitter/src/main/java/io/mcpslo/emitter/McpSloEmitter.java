package io.mcpslo.emitter;

import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Events for mcp-slo from a Java MCP gateway or server built on the official MCP Java SDK: wrap each client
 * transport with {@link #observe}, report break-glass acts with {@link #breakGlass}, close on shutdown. Every
 * request becomes a {@code call} event, every {@code tools/call} of a mutating tool also an {@code audit} event
 * with the arguments' hash; they are sent in batches to the collector's {@code /v1/events}. Nothing here waits
 * on the collector or throws into the gateway's requests: when the pipeline is down, events are dropped and counted
 * in {@code mcp.emitter.events.dropped}.
 */
public final class McpSloEmitter implements AutoCloseable {

    private final EmitterSettings settings;
    private final EventBatcher batcher;
    private final ExchangeEvents exchangeEvents;
    private final Clock clock;

    private McpSloEmitter(Builder builder) {
        this.settings = builder.settings;
        this.clock = builder.clock;
        this.exchangeEvents = new ExchangeEvents(settings.source(), builder.mutatingTool);
        this.batcher = new EventBatcher(settings, builder.registry);
    }

    public static Builder builder(EmitterSettings settings) {
        return new Builder(settings);
    }

    /** The same transport, observed: use it where the SDK's client takes a transport. */
    public McpClientTransport observe(McpClientTransport transport, Upstream upstream) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(upstream, "upstream");
        var observed = new ObservedClientTransport(transport, upstream,
                exchange -> batcher.offer(() -> exchangeEvents.of(exchange)),
                () -> batcher.dropped("unobserved", 1), clock, settings.requestTimeout(), settings.queueCapacity());
        batcher.everyFlush(observed::expireOverdue);
        return observed;
    }

    /**
     * Records a break-glass act the gateway carried out: {@code server.disable}, {@code tool.kill},
     * {@code sessions.drain} or {@code tool.enable}, by {@code actor} (the operator), on {@code server} (and
     * {@code tool}, or null), with the {@code reason} (an incident or ticket) the audit trail requires.
     *
     * @throws IllegalArgumentException naming the field, for another action or a blank actor, server or reason
     */
    public void breakGlass(String actor, String action, String server, String tool, String reason) {
        Upstream.requireText(actor, "actor");
        Upstream.requireText(server, "server");
        Upstream.requireText(reason, "reason");
        if (!AuditEvent.BREAK_GLASS_ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action: must be one of " + AuditEvent.BREAK_GLASS_ACTIONS
                    + ", was " + action);
        }
        var envelope = new EventEnvelope(UUID.randomUUID(),
                Instant.ofEpochMilli(clock.wallTime()).truncatedTo(ChronoUnit.MILLIS), settings.source(), server, null,
                tool, null, null, null, null, null, null, null);
        var act = new AuditEvent(envelope, actor, null, action, tool == null ? server : server + "/" + tool, null,
                AuditEvent.Decision.ALLOW, null, "ok", reason);
        batcher.offer(() -> List.of(act));
    }

    /** Sends what is queued (waiting at most the close timeout), then stops. */
    @Override
    public void close() {
        batcher.close();
    }

    /** Optional parts: which tools mutate (audited), where the counters go, and the clock. */
    public static final class Builder {
        private final EmitterSettings settings;
        private Predicate<String> mutatingTool = tool -> false;
        private MeterRegistry registry = Metrics.globalRegistry;
        private Clock clock = Clock.SYSTEM;

        private Builder(EmitterSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Tools whose calls change something: each call of one is also an audit event with its arguments' hash. */
        public Builder mutatingTools(Set<String> tools) {
            return mutatingTools(Set.copyOf(tools)::contains);
        }

        public Builder mutatingTools(Predicate<String> isMutating) {
            this.mutatingTool = Objects.requireNonNull(isMutating, "mutatingTools");
            return this;
        }

        /** Where the emitter's counters go (default: Micrometer's global registry). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the emitter's sending thread. */
        public McpSloEmitter build() {
            return new McpSloEmitter(this);
        }
    }
}

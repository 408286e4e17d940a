package io.mcpslo.collector;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.common.auth.WriteScope;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.McpEvent;
import io.mcpslo.schemas.PrintableText;
import io.mcpslo.schemas.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/events: validates each event of a batch, publishes the valid ones, and answers only after the
 * publisher confirmed them. Invalid events are refused one by one; they never block the valid ones.
 */
final class IngestHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
    static final int RETRY_AFTER_SECONDS = 5;
    /** The largest body read into an array of its declared size before it has arrived (a batch of ~2,500 calls). */
    static final int PREALLOCATED_BODY_BYTES = 1 << 20;

    private final CollectorConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final EventAdmission admission;
    private final EventPublisher publisher;
    private final BatchParser parser;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter publishFailures;
    private final Timer publishTime;

    IngestHandler(CollectorConfig config, Clock clock, EventPublisher publisher, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.admission = new EventAdmission(config, clock);
        this.publisher = publisher;
        this.parser = new BatchParser(config.maxEventsPerBatch(), config.maxBodyBytes(), admission.validator());
        this.accepted = Counter.builder("mcp_collector_events").tag("result", "accepted")
                .description("Events accepted and acknowledged by Kafka").register(registry);
        this.rejected = Counter.builder("mcp_collector_events").tag("result", "rejected")
                .description("Events refused for violating the contract").register(registry);
        this.publishFailures = Counter.builder("mcp_collector_publish_failures")
                .description("Batches Kafka did not acknowledge (answered 503)").register(registry);
        this.publishTime = Timer.builder("mcp_collector_publish").description("Time until Kafka acknowledged a batch")
                .register(registry);
    }

    @Override
    public void handle(Context ctx) throws IOException {
        byte[] body = readBounded(ctx.bodyInputStream(), config.maxBodyBytes(), ctx.contentLength());
        if (body == null) {
            answer(ctx, HttpStatus.CONTENT_TOO_LARGE, new IngestResult(0, 0, "request body larger than "
                    + config.maxBodyBytes() + " bytes (COLLECTOR_MAX_BODY_BYTES); split the batch", "body", List.of()));
            return;
        }
        if (isBlank(body)) {
            answer(ctx, HttpStatus.BAD_REQUEST, new IngestResult(0, 0,
                    "empty body: send a JSON array of events, one JSON event, or NDJSON", "body", List.of()));
            return;
        }
        List<BatchParser.Item> items;
        try {
            items = parser.parse(body, isNdjson(ctx.contentType()));
        } catch (BatchParser.MalformedBodyException e) {
            answer(ctx, HttpStatus.BAD_REQUEST, new IngestResult(0, 0, e.getMessage(), "body", List.of()));
            return;
        } catch (BatchParser.TooManyEventsException e) {
            answer(ctx, HttpStatus.CONTENT_TOO_LARGE, new IngestResult(0, 0, e.getMessage(), "body", List.of()));
            return;
        }
        if (items.isEmpty()) {
            answer(ctx, HttpStatus.BAD_REQUEST, new IngestResult(0, 0, "the batch holds no events", "body", List.of()));
            return;
        }

        Principal principal = ctx.attribute(CollectorApp.PRINCIPAL);
        String gatewayId = gatewayId(ctx);
        WriteScope scope = writeScope(ctx);
        Map<String, Integer> deniedServers = new LinkedHashMap<>();
        List<McpEvent> valid = new ArrayList<>(items.size());
        List<IngestResult.EventError> errors = new ArrayList<>();
        for (BatchParser.Item item : items) {
            if (item.parseError() != null) {
                errors.add(new IngestResult.EventError(item.index(), null, "$", "json", item.parseError()));
                continue;
            }
            EventAdmission.Verdict verdict = item.validCall() != null
                    ? admission.admitValid(item.validCall(), gatewayId, scope)
                    : admission.admit(item.json(), gatewayId, scope);
            switch (verdict) {
                case EventAdmission.Admitted admitted -> valid.add(admitted.event());
                case EventAdmission.OutsideScope outside -> {
                    deniedServers.merge(outside.server(), 1, Integer::sum);
                    deniedWrites(registry, principal.name(), outside.violation().field()).increment();
                    errors.add(new IngestResult.EventError(item.index(), outside.eventId(), outside.violation().field(),
                            outside.violation().rule(), outside.violation().field() + ": "
                            + outside.violation().message()));
                }
                case EventAdmission.Refused refused -> {
                    for (Violation violation : refused.violations()) {
                        errors.add(new IngestResult.EventError(item.index(), refused.eventId(), violation.field(),
                                violation.rule(), violation.field() + ": " + violation.message()));
                    }
                }
            }
        }

        List<McpEvent> toPublish = new ArrayList<>(valid);
        if (!deniedServers.isEmpty()) {
            // the refusal is itself an act worth auditing: stored with the batch, or the batch is not answered 422
            toPublish.add(deniedWrite(principal, gatewayId, scope, deniedServers, clock));
        }
        if (!toPublish.isEmpty()) {
            try {
                publishTime.record(() -> publisher.publish(toPublish));
            } catch (EventPublisher.PublishFailedException e) {
                publishFailures.increment();
                LOG.warn("batch of {} events not acknowledged: {}", valid.size(), e.getMessage());
                ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                answer(ctx, HttpStatus.SERVICE_UNAVAILABLE, new IngestResult(0, items.size(),
                        "Kafka unavailable, nothing of this batch is confirmed stored; resend it after "
                                + RETRY_AFTER_SECONDS + " s (event ids make resending safe)", "kafka", errors));
                return;
            }
        }
        accepted.increment(valid.size());
        int refusedEvents = items.size() - valid.size();
        rejected.increment(refusedEvents);
        if (errors.isEmpty()) {
            answer(ctx, HttpStatus.OK, new IngestResult(valid.size(), 0, null, null, List.of()));
        } else {
            IngestResult.EventError first = errors.get(0);
            answer(ctx, HttpStatus.UNPROCESSABLE_CONTENT, new IngestResult(valid.size(), refusedEvents,
                    refusedEvents + " of " + items.size() + " events refused (" + valid.size()
                            + " valid events of this batch were accepted); first: event " + first.index() + " "
                            + first.error(), first.field(), errors));
        }
    }

    static Counter deniedWrites(MeterRegistry registry, String token, String field) {
        return Counter.builder("mcp_collector_denied_writes").tag("token", token).tag("field", field)
                .description("Events refused because they lie outside the sending token's servers or kinds")
                .register(registry);
    }

    /** One audit act per batch: which token tried to write which servers' events outside its scope. */
    static AuditEvent deniedWrite(Principal principal, String gatewayId, WriteScope scope,
                                  Map<String, Integer> deniedServers, Clock clock) {
        String first = deniedServers.keySet().iterator().next();
        StringBuilder reason = new StringBuilder(deniedServers.values().stream().mapToInt(Integer::intValue).sum()
                + " events outside the token's scope (servers " + abbreviate(scope.serversText()) + ", kinds "
                + scope.kindsText() + ") refused:");
        deniedServers.forEach((server, count) -> reason.append(' ').append(abbreviate(server)).append(" (")
                .append(count).append(')'));
        var envelope = new EventEnvelope(UUID.randomUUID(), clock.instant(), "collector", first, null, null, null, null,
                null, null, null, null, null);
        return new AuditEvent(envelope, principal.name(), "gateway:" + gatewayId, "events.write", "server/" + first,
                null, AuditEvent.Decision.DENY, "gateway-scope", "refused", PrintableText.abbreviated(reason.toString(),
                        2000));
    }

    /** What the sender's token may report: any server and kind for an admin (or an open test setup). */
    static WriteScope writeScope(Context ctx) {
        Principal principal = ctx.attribute(CollectorApp.PRINCIPAL);
        return gatewayId(ctx) == null ? WriteScope.ANY : principal.writeScope();
    }

    /** The gateway the sender's token may send for; null for an admin (or an open test setup), who may send any. */
    static String gatewayId(Context ctx) {
        Principal principal = ctx.attribute(CollectorApp.PRINCIPAL);
        return principal == null || principal.isAdmin() ? null : principal.gatewayId().orElse(null);
    }

    private static void answer(Context ctx, HttpStatus status, IngestResult result) {
        ctx.status(status).json(result);
    }

    /** Reads at most {@code limit} bytes; null when the body is longer. */
    static byte[] readBounded(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }

    /**
     * {@link #readBounded(InputStream, int)} for a body whose length the request declared (Content-Length; -1 when
     * it did not): read into one array of that size, where reading to the limit gathers chunks and copies them
     * into a second array (a batch's body was the collector's largest allocation); up to 1 MiB, so that stalled
     * clients cannot pin much memory. A declared length over the limit is refused before anything is read.
     */
    static byte[] readBounded(InputStream in, int limit, long declaredLength) throws IOException {
        if (declaredLength > limit) {
            return null;
        }
        if (declaredLength < 0 || declaredLength > PREALLOCATED_BODY_BYTES) {
            // a larger body is gathered as it arrives: a client that declares megabytes and stalls pins only what
            // it sent
            return readBounded(in, limit);
        }
        byte[] bytes = new byte[(int) declaredLength];
        int read = in.readNBytes(bytes, 0, bytes.length);
        return read == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, read);
    }

    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson")
                || type.startsWith("application/jsonl") || type.startsWith("application/x-jsonlines");
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String value) {
        return PrintableText.abbreviated(value, 64);
    }
}

package io.mcpslo.collector;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.mcpslo.common.auth.Principal;
import io.mcpslo.common.auth.WriteScope;
import io.mcpslo.otlp.McpOtlpMapping;
import io.mcpslo.otlp.OtlpDecoder;
import io.mcpslo.schemas.McpEvent;
import io.mcpslo.schemas.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP {@code POST /v1/traces} and {@code /v1/logs}: decodes the export request (protobuf or JSON, gzip or
 * not), maps MCP spans and audit records onto events with {@link McpOtlpMapping}, admits them like
 * {@code /v1/events}, publishes, and answers as the OTLP specification says: 200 (with {@code partial_success} when
 * some were rejected), 400 when every MCP item was rejected or the body is unreadable, 413, 415, 503.
 */
final class OtlpHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpHandler.class);
    private static final int MESSAGES_IN_ANSWER = 5;

    /** The two OTLP signals the collector takes. */
    enum Signal {
        TRACES("spans"), LOGS("log records");

        final String items;

        Signal(String items) {
            this.items = items;
        }
    }

    private final Signal signal;
    private final CollectorConfig config;
    private final Clock clock;
    private final EventAdmission admission;
    private final EventPublisher publisher;
    private final McpOtlpMapping mapping = new McpOtlpMapping();
    private final MeterRegistry registry;
    private final Counter publishFailures;

    OtlpHandler(Signal signal, CollectorConfig config, Clock clock, EventPublisher publisher, MeterRegistry registry) {
        this.signal = signal;
        this.config = config;
        this.clock = clock;
        this.admission = new EventAdmission(config, clock);
        this.publisher = publisher;
        this.registry = registry;
        this.publishFailures = Counter.builder("mcp_collector_publish_failures")
                .description("Batches Kafka did not acknowledge (answered 503)").register(registry);
    }

    @Override
    public void handle(Context ctx) throws IOException {
        OtlpDecoder.Encoding encoding = encoding(ctx.contentType());
        if (encoding == null) {
            OtlpResponses.error(ctx, OtlpDecoder.Encoding.JSON, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type "
                    + (ctx.contentType() == null ? "missing" : "\"" + ctx.contentType() + "\" not supported")
                    + ": send application/x-protobuf or application/json (OTLP/HTTP)");
            return;
        }
        String contentEncoding = ctx.header("Content-Encoding");
        boolean gzip = contentEncoding != null && contentEncoding.strip().equalsIgnoreCase("gzip");
        if (!gzip && contentEncoding != null && !contentEncoding.isBlank()
                && !contentEncoding.strip().equalsIgnoreCase("identity")) {
            OtlpResponses.error(ctx, encoding, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding \""
                    + contentEncoding + "\" not supported: send gzip or no encoding");
            return;
        }
        byte[] body = IngestHandler.readBounded(ctx.bodyInputStream(), config.maxBodyBytes(), ctx.contentLength());
        if (body != null && gzip) {
            try {
                body = IngestHandler.readBounded(new GZIPInputStream(new ByteArrayInputStream(body)), config.maxBodyBytes());
            } catch (ZipException | java.io.EOFException e) {
                OtlpResponses.error(ctx, encoding, HttpStatus.BAD_REQUEST, "body: Content-Encoding is gzip but the"
                        + " body is not valid gzip (" + e.getMessage() + ")");
                return;
            }
        }
        if (body == null) {
            OtlpResponses.error(ctx, encoding, HttpStatus.CONTENT_TOO_LARGE, "body: larger than " + config.maxBodyBytes()
                    + " bytes (COLLECTOR_MAX_BODY_BYTES" + (gzip ? ", after gunzip" : "") + "); export smaller batches");
            return;
        }

        String gatewayId = IngestHandler.gatewayId(ctx);
        List<McpOtlpMapping.Mapped> mapped;
        try {
            mapped = switch (signal) {
                case TRACES -> mapping.spans(OtlpDecoder.traces(body, encoding), gatewayId);
                case LOGS -> mapping.logs(OtlpDecoder.logs(body, encoding), gatewayId);
            };
        } catch (OtlpDecoder.MalformedRequestException e) {
            OtlpResponses.error(ctx, encoding, HttpStatus.BAD_REQUEST, "body: " + e.getMessage());
            return;
        }
        if (mapped.size() > config.maxEventsPerBatch()) {
            OtlpResponses.error(ctx, encoding, HttpStatus.CONTENT_TOO_LARGE, "body: " + mapped.size() + " "
                    + signal.items + " in one export, more than " + config.maxEventsPerBatch()
                    + " (COLLECTOR_MAX_BATCH_EVENTS); export smaller batches");
            return;
        }

        Principal principal = ctx.attribute(CollectorApp.PRINCIPAL);
        WriteScope scope = IngestHandler.writeScope(ctx);
        Map<String, Integer> deniedServers = new LinkedHashMap<>();
        List<McpEvent> valid = new ArrayList<>();
        List<String> rejections = new ArrayList<>();
        for (McpOtlpMapping.Mapped item : mapped) {
            switch (item) {
                case McpOtlpMapping.Event event -> {
                    switch (admission.admit(event.json(), gatewayId, scope)) {
                        case EventAdmission.Admitted admitted -> valid.add(admitted.event());
                        case EventAdmission.OutsideScope outside -> {
                            deniedServers.merge(outside.server(), 1, Integer::sum);
                            IngestHandler.deniedWrites(registry, principal.name(), outside.violation().field())
                                    .increment();
                            rejections.add(event.location() + ": " + outside.violation().field() + ": "
                                    + outside.violation().message());
                        }
                        case EventAdmission.Refused refused -> {
                            Violation first = refused.violations().get(0);
                            rejections.add(event.location() + ": " + first.field() + ": " + first.message());
                        }
                    }
                }
                case McpOtlpMapping.Refused refused -> rejections.add(refused.location() + ": " + refused.message());
                case McpOtlpMapping.Ignored ignored -> count("ignored", ignored.reason());
            }
        }

        List<McpEvent> toPublish = new ArrayList<>(valid);
        if (!deniedServers.isEmpty()) {
            // as on /v1/events: the refusal is audited, in the same write as what was admitted
            toPublish.add(IngestHandler.deniedWrite(principal, gatewayId, scope, deniedServers, clock));
        }
        if (!toPublish.isEmpty()) {
            try {
                publisher.publish(toPublish);
            } catch (EventPublisher.PublishFailedException e) {
                publishFailures.increment();
                LOG.warn("OTLP {} export of {} events not acknowledged: {}", signal.items, valid.size(), e.getMessage());
                ctx.header("Retry-After", String.valueOf(IngestHandler.RETRY_AFTER_SECONDS));
                OtlpResponses.error(ctx, encoding, HttpStatus.SERVICE_UNAVAILABLE, "Kafka unavailable, nothing of this"
                        + " export is confirmed stored; resend it (ids derived from trace and span ids make it safe)");
                return;
            }
        }
        counter("accepted", "mcp").increment(valid.size());
        counter("rejected", "invalid").increment(rejections.size());
        if (rejections.isEmpty()) {
            OtlpResponses.success(ctx, encoding, signal, 0, null);
        } else if (valid.isEmpty()) {
            OtlpResponses.error(ctx, encoding, HttpStatus.BAD_REQUEST, "every MCP " + signal.items.replaceAll("s$", "")
                    + " of the export was rejected: " + summary(rejections));
        } else {
            OtlpResponses.success(ctx, encoding, signal, rejections.size(), rejections.size() + " of "
                    + (valid.size() + rejections.size()) + " MCP " + signal.items + " rejected: " + summary(rejections));
        }
    }

    private void count(String result, String reason) {
        counter(result, reason).increment();
    }

    private Counter counter(String result, String reason) {
        return Counter.builder("mcp_collector_otlp_items").tag("signal", signal.name().toLowerCase(Locale.ROOT))
                .tag("result", result).tag("reason", reason)
                .description("OTLP spans and log records: accepted as events, rejected, or ignored (not MCP)")
                .register(registry);
    }

    private static String summary(List<String> rejections) {
        String shown = String.join("; ", rejections.subList(0, Math.min(MESSAGES_IN_ANSWER, rejections.size())));
        return rejections.size() > MESSAGES_IN_ANSWER ? shown + "; … " + (rejections.size() - MESSAGES_IN_ANSWER)
                + " more" : shown;
    }

    static OtlpDecoder.Encoding encoding(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-protobuf", "application/protobuf" -> OtlpDecoder.Encoding.PROTOBUF;
            case "application/json" -> OtlpDecoder.Encoding.JSON;
            default -> null;
        };
    }
}

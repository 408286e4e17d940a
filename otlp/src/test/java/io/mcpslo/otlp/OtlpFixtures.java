package io.mcpslo.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Builders for OTLP test data that read as the scenario: {@code span(SERVER, t, 5 ms).attribute(...)}. */
public final class OtlpFixtures {

    private static final AtomicLong NEXT_SPAN = new AtomicLong(1);

    private OtlpFixtures() {
    }

    public static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    public static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    public static AnyValue string(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    public static ResourceBuilder resource(String serviceName, String serviceVersion) {
        Resource.Builder resource = Resource.newBuilder();
        if (serviceName != null) {
            resource.addAttributes(kv("service.name", string(serviceName)));
        }
        if (serviceVersion != null) {
            resource.addAttributes(kv("service.version", string(serviceVersion)));
        }
        return new ResourceBuilder(resource);
    }

    public static ExportTraceServiceRequest traces(ResourceBuilder resource, Span... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span span : spans) {
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(resource.builder).addScopeSpans(scope)).build();
    }

    public static ExportLogsServiceRequest logs(ResourceBuilder resource, LogRecord... records) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (LogRecord record : records) {
            scope.addLogRecords(record);
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(resource.builder).addScopeLogs(scope)).build();
    }

    /** A span with fresh non-zero ids, starting at {@code start} and lasting {@code durationNanos}. */
    public static SpanBuilder span(Span.SpanKind kind, Instant start, long durationNanos) {
        long n = NEXT_SPAN.getAndIncrement();
        return new SpanBuilder(Span.newBuilder().setKind(kind).setName("span")
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(String.format("%032x", n + (1L << 40)))))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(String.format("%016x", n))))
                .setStartTimeUnixNano(nanos(start)).setEndTimeUnixNano(nanos(start) + durationNanos));
    }

    public static LogBuilder log(Instant time) {
        return new LogBuilder(LogRecord.newBuilder().setTimeUnixNano(time.equals(Instant.EPOCH) ? 0 : nanos(time)));
    }

    /** The resource (service) spans and records come from. */
    public static final class ResourceBuilder {
        final Resource.Builder builder;

        ResourceBuilder(Resource.Builder builder) {
            this.builder = builder;
        }

        public ResourceBuilder attribute(String key, String value) {
            builder.addAttributes(kv(key, string(value)));
            return this;
        }
    }

    public static final class SpanBuilder {
        private final Span.Builder span;

        SpanBuilder(Span.Builder span) {
            this.span = span;
        }

        public SpanBuilder name(String name) {
            span.setName(name);
            return this;
        }

        public SpanBuilder attribute(String key, String value) {
            return attribute(key, string(value));
        }

        public SpanBuilder attribute(String key, long value) {
            return attribute(key, AnyValue.newBuilder().setIntValue(value).build());
        }

        public SpanBuilder attribute(String key, AnyValue value) {
            span.addAttributes(kv(key, value));
            return this;
        }

        public SpanBuilder status(Status.StatusCode code) {
            span.setStatus(Status.newBuilder().setCode(code));
            return this;
        }

        public SpanBuilder ids(String traceIdHex, String spanIdHex) {
            span.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceIdHex)));
            span.setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanIdHex)));
            return this;
        }

        public SpanBuilder rawSpanId(byte[] spanId) {
            span.setSpanId(ByteString.copyFrom(spanId));
            return this;
        }

        public SpanBuilder startNanos(long unixNanos) {
            span.setStartTimeUnixNano(unixNanos);
            return this;
        }

        public SpanBuilder endNanos(long unixNanos) {
            span.setEndTimeUnixNano(unixNanos);
            return this;
        }

        public Span build() {
            return span.build();
        }
    }

    public static final class LogBuilder {
        private final LogRecord.Builder record;

        LogBuilder(LogRecord.Builder record) {
            this.record = record;
        }

        public LogBuilder attribute(String key, String value) {
            return attribute(key, string(value));
        }

        public LogBuilder attribute(String key, AnyValue value) {
            record.addAttributes(kv(key, value));
            return this;
        }

        public LogRecord build() {
            return record.build();
        }
    }
}

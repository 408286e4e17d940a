package io.mcpslo.processor.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Writes calls, audit events and rollups to ClickHouse, one JSONEachRow insert per table per batch. */
public final class ClickHousePipelineStore implements PipelineStore {

    private final ClickHouseClient client;
    private final Clock clock;

    public ClickHousePipelineStore(ClickHouseClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public void prepare() {
        new SchemaMigrator(client).migrate();
    }

    @Override
    public void write(Batch batch) {
        long ingestedAt = clock.instant().getEpochSecond();
        insert("calls", batch.calls(), call -> callRow(call, ingestedAt));
        insert("audit_events", batch.audits(), audit -> auditRow(audit, ingestedAt));
        insert("call_rollups_1m", latestPerWindow(batch.rollups()), rollup -> rollupRow(rollup, ingestedAt));
    }

    /** A batch often holds several emissions of one window; only the latest needs to travel. */
    static List<CallRollup> latestPerWindow(List<CallRollup> rollups) {
        Map<String, CallRollup> latest = new LinkedHashMap<>();
        for (CallRollup rollup : rollups) {
            latest.merge(rollup.key().storeKey(), rollup, (a, b) -> b.revision() >= a.revision() ? b : a);
        }
        return List.copyOf(latest.values());
    }

    private <T> void insert(String table, List<T> items, Function<T, ObjectNode> toRow) {
        if (items.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(items.size() * 300);
        try {
            for (T item : items) {
                EventCodec.MAPPER.writeValue(body, toRow.apply(item));
                body.write('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException("encoding rows in memory cannot fail", e);
        }
        client.insertJsonEachRow(table, body.toByteArray());
    }

    private static ObjectNode envelopeRow(EventEnvelope envelope, long ingestedAt) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("event_id", envelope.eventId().toString());
        row.put("ts", envelope.ts().getEpochSecond());
        row.put("ts_ms", envelope.ts().toEpochMilli());
        row.put("source", envelope.source());
        row.put("server", envelope.server());
        row.put("server_version", orEmpty(envelope.serverVersion()));
        row.put("tool", orEmpty(envelope.tool()));
        row.put("method", orEmpty(envelope.method()));
        row.put("session_id", orEmpty(envelope.sessionId()));
        row.put("user", orEmpty(envelope.user()));
        row.put("team", orEmpty(envelope.team()));
        row.put("trace_id", orEmpty(envelope.traceId()));
        row.put("span_id", orEmpty(envelope.spanId()));
        row.put("ingested_at", ingestedAt);
        return row;
    }

    private static ObjectNode callRow(CallEvent call, long ingestedAt) {
        ObjectNode row = envelopeRow(call.envelope(), ingestedAt);
        row.put("protocol_version", orEmpty(call.envelope().protocolVersion()));
        row.put("duration_ms", call.durationMs());
        row.put("outcome", call.outcome().wireName());
        if (call.errorCode() == null) {
            row.putNull("error_code");
        } else {
            row.put("error_code", call.errorCode());
        }
        row.put("error_type", orEmpty(call.errorType()));
        row.put("retry", call.retry() == null ? 0 : call.retry());
        if (call.responseBytes() == null) {
            row.putNull("response_bytes");
        } else {
            row.put("response_bytes", call.responseBytes());
        }
        return row;
    }

    private static ObjectNode auditRow(AuditEvent audit, long ingestedAt) {
        ObjectNode row = envelopeRow(audit.envelope(), ingestedAt);
        row.put("actor", audit.actor());
        row.put("action", audit.action());
        row.put("resource", orEmpty(audit.resource()));
        row.put("args_hash", orEmpty(audit.argsHash()));
        row.put("decision", audit.decision().name().toLowerCase(Locale.ROOT));
        row.put("outcome", orEmpty(audit.outcome()));
        row.put("reason", orEmpty(audit.reason()));
        return row;
    }

    private static ObjectNode rollupRow(CallRollup rollup, long ingestedAt) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("window_start", rollup.windowStart().getEpochSecond());
        row.put("server", rollup.key().server());
        row.put("tool", rollup.key().tool());
        row.put("server_version", rollup.key().serverVersion());
        row.put("calls", rollup.counts().calls());
        row.put("ok", rollup.counts().ok());
        row.put("tool_error", rollup.counts().toolError());
        row.put("transport_error", rollup.counts().transportError());
        row.put("denied", rollup.counts().denied());
        row.put("rate_limited", rollup.counts().rateLimited());
        row.put("latency_sum_ms", rollup.latencySumMs());
        row.put("latency_max_ms", rollup.latencyMaxMs());
        SketchBins bins = rollup.latency();
        row.put("latency_zero_count", bins.zeroCount());
        ArrayNode indexes = row.putArray("latency_bins");
        ArrayNode counts = row.putArray("latency_counts");
        for (int i = 0; i < bins.size(); i++) {
            indexes.add(bins.indexAt(i));
            counts.add(bins.countAt(i));
        }
        row.put("revision", rollup.revision());
        row.put("updated_at", ingestedAt);
        return row;
    }

    private static String orEmpty(String value) {
        return Objects.requireNonNullElse(value, "");
    }
}

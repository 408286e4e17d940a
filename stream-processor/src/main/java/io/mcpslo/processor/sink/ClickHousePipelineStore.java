package io.mcpslo.processor.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
        insert("alert_events", batch.alerts(), alert -> alertRow(alert, ingestedAt));
        insert("slo_status", batch.statuses(), status -> statusRow(status, ingestedAt));
        insert("alert_deliveries", batch.deliveries(), ClickHousePipelineStore::deliveryRow);
        insert("audit_log", batch.chainedAudits(), ClickHousePipelineStore::auditLogRow);
        insert("audit_digests", batch.digests(), ClickHousePipelineStore::digestRow);
    }

    /** The audit log row holds exactly the field texts the chain hashed, so the verifier can hash them again. */
    private static ObjectNode auditLogRow(ChainedAudit chained) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        AuditChain.textFields(chained.event()).forEach(row::put);
        row.put("ts", chained.event().envelope().ts().getEpochSecond());
        row.put("ts_ms", chained.event().envelope().ts().toEpochMilli());
        row.put("chain_partition", chained.link().partition());
        row.put("chain_seq", chained.link().seq());
        row.put("prev_hash", chained.link().prevHash());
        row.put("hash", chained.link().hash());
        row.put("chained_at", chained.chainedAt().getEpochSecond());
        return row;
    }

    private static ObjectNode digestRow(AuditDigest digest) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("chain_partition", digest.partition());
        row.put("chain_seq", digest.seq());
        row.put("hash", digest.hash());
        row.put("hmac", digest.hmac());
        row.put("at", digest.at().getEpochSecond());
        return row;
    }

    private static ObjectNode alertRow(AlertTransition alert, long ingestedAt) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("dedup_key", alert.dedupKey());
        row.put("slo_id", alert.sloId());
        row.put("team", alert.team());
        row.put("alert", alert.kind().label());
        row.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        row.put("from_state", alert.from().name().toLowerCase(Locale.ROOT));
        row.put("to_state", alert.to().name().toLowerCase(Locale.ROOT));
        row.put("at", alert.at().getEpochSecond());
        row.put("at_ms", alert.at().toEpochMilli());
        row.put("incident_start", alert.incidentStart().getEpochSecond());
        row.put("summary", alert.summary());
        row.put("rule", alert.rule());
        row.put("budget_remaining", alert.budgetRemainingFraction());
        putBurnRates(row, alert.burnRates());
        row.put("recorded_at", ingestedAt);
        return row;
    }

    private static ObjectNode statusRow(SloStatus status, long ingestedAt) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("slo_id", status.sloId());
        row.put("team", status.team());
        row.put("at", status.at().getEpochSecond());
        row.put("window_start", status.windowStart().getEpochSecond());
        row.put("window_end", status.windowEnd().getEpochSecond());
        if (status.sli() == null) {
            row.putNull("sli");
        } else {
            row.put("sli", status.sli());
        }
        row.put("objective", status.objective());
        row.put("good", status.budget().events().good());
        row.put("bad", status.budget().events().bad());
        row.put("budget_allowed", status.budget().allowedBad());
        row.put("budget_remaining_events", status.budget().remainingBad());
        row.put("budget_consumed", status.budget().consumedFraction());
        row.put("budget_remaining", status.budget().remainingFraction());
        if (status.budget().timeToExhaustion() == null) {
            row.putNull("time_to_exhaustion_s");
        } else {
            row.put("time_to_exhaustion_s", status.budget().timeToExhaustion().toSeconds());
        }
        putBurnRates(row, status.burnRates());
        row.put("page", status.pageCondition() ? 1 : 0);
        row.put("ticket", status.ticketCondition() ? 1 : 0);
        row.put("budget_exhausted", status.budgetExhaustedCondition() ? 1 : 0);
        row.put("recorded_at", ingestedAt);
        return row;
    }

    private static ObjectNode deliveryRow(DeliveryAttempt attempt) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("dedup_key", attempt.dedupKey());
        row.put("slo_id", attempt.sloId());
        row.put("receiver", attempt.receiver());
        row.put("receiver_type", attempt.receiverType().name().toLowerCase(Locale.ROOT));
        row.put("status", attempt.status().name().toLowerCase(Locale.ROOT));
        row.put("attempt", attempt.attempt());
        row.put("at", attempt.at().getEpochSecond());
        row.put("at_ms", attempt.at().toEpochMilli());
        row.put("result", attempt.result().name().toLowerCase(Locale.ROOT));
        row.put("http_status", attempt.httpStatus());
        row.put("error", attempt.error());
        return row;
    }

    /** Burn rates as one column per window; a value that is not a finite number (no traffic) is stored as 0. */
    private static void putBurnRates(ObjectNode row, Map<String, Double> burnRates) {
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            double rate = burnRates.getOrDefault(name, 0.0);
            row.put("burn_" + name, Double.isFinite(rate) ? rate : 0);
        }
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

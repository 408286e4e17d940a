package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.PipelineStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseException;
import io.mcpslo.clickhouse.RowBinaryWriter;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupKey;
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
import io.mcpslo.schemas.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Writes the stream's results to ClickHouse, one insert per table per write: RowBinary for calls, JSONEachRow for the rest. */
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

    /** The columns of {@code calls} in the order {@link #callRowBinary} writes them. */
    private static final List<String> CALL_COLUMNS = List.of("event_id", "ts", "ts_ms", "source", "server",
            "server_version", "tool", "method", "protocol_version", "session_id", "user", "team", "trace_id", "span_id",
            "duration_ms", "outcome", "error_code", "error_type", "retry", "response_bytes", "ingested_at");

    /**
     * Calls are the one table written per event, so they travel as RowBinary: no JSON tree to build, no text for
     * either side to format or parse.
     */
    @Override
    public void writeCalls(List<CallEvent> calls) {
        long ingestedAt = clock.instant().getEpochSecond();
        // a call with a session, a user and a trace is ~200 bytes of RowBinary: sized so the buffer is not regrown
        insertRowBinary("calls", CALL_COLUMNS, calls, 256, (row, call) -> callRowBinary(row, call, ingestedAt));
    }

    private <T> void insertRowBinary(String table, List<String> columns, List<T> items, int bytesPerRow,
                                     BiConsumer<RowBinaryWriter, T> encoder) {
        if (items.isEmpty()) {
            return;
        }
        RowBinaryWriter rows = new RowBinaryWriter(items.size() * bytesPerRow);
        try {
            for (T item : items) {
                encoder.accept(rows, item);
            }
        } catch (RuntimeException e) {
            // a record that cannot become a row fails the same way every time: it is the record's fault
            throw new RowsRefused("cannot encode a row for " + table + ": " + e, e);
        }
        try {
            client.insertRowBinary(table, columns, rows);
        } catch (ClickHouseException e) {
            if (e.refusedData()) {
                throw new RowsRefused(e.getMessage(), e);
            }
            throw e;
        }
    }

    private static void callRowBinary(RowBinaryWriter row, CallEvent call, long ingestedAt) {
        EventEnvelope envelope = call.envelope();
        row.uuid(envelope.eventId())
                .dateTime(envelope.ts().getEpochSecond())
                .uint64(envelope.ts().toEpochMilli())
                .string(envelope.source())
                .string(envelope.server())
                .string(orEmpty(envelope.serverVersion()))
                .string(orEmpty(envelope.tool()))
                .string(orEmpty(envelope.method()))
                .string(orEmpty(envelope.protocolVersion()))
                .string(orEmpty(envelope.sessionId()))
                .string(orEmpty(envelope.user()))
                .string(orEmpty(envelope.team()))
                .string(orEmpty(envelope.traceId()))
                .string(orEmpty(envelope.spanId()))
                .float64(call.durationMs())
                .int8(outcomeEnumValue(call.outcome()))
                .nullableInt32(call.errorCode())
                .string(orEmpty(call.errorType()))
                .uint16(call.retry() == null ? 0 : call.retry())
                .nullableUInt64(call.responseBytes())
                .dateTime(ingestedAt);
    }

    /** The numbers of the {@code outcome} Enum8 in the DDL of {@code calls} (V001). */
    private static int outcomeEnumValue(Outcome outcome) {
        return switch (outcome) {
            case OK -> 1;
            case TOOL_ERROR -> 2;
            case TRANSPORT_ERROR -> 3;
            case DENIED -> 4;
            case RATE_LIMITED -> 5;
        };
    }

    @Override
    public void writeAudits(List<AuditEvent> audits) {
        long ingestedAt = clock.instant().getEpochSecond();
        insert("audit_events", audits, audit -> auditRow(audit, ingestedAt));
    }

    /** The columns of {@code call_rollups_1m} in the order {@link #rollupRowBinary} writes them. */
    private static final List<String> ROLLUP_COLUMNS = List.of("window_start", "server", "tool", "server_version",
            "calls", "ok", "tool_error", "transport_error", "denied", "rate_limited", "latency_sum_ms",
            "latency_max_ms", "latency_zero_count", "latency_bins", "latency_counts", "revision", "updated_at");

    /** Rollups travel as RowBinary too: a back-fill writes one per call-minute of a tool, with its sketch's bins. */
    @Override
    public void writeRollups(List<CallRollup> rollups) {
        long ingestedAt = clock.instant().getEpochSecond();
        insertRowBinary("call_rollups_1m", ROLLUP_COLUMNS, latestPerWindow(rollups), 160,
                (row, rollup) -> rollupRowBinary(row, rollup, ingestedAt));
    }

    private static void rollupRowBinary(RowBinaryWriter row, CallRollup rollup, long ingestedAt) {
        OutcomeCounts counts = rollup.counts();
        SketchBins bins = rollup.latency();
        row.dateTime(rollup.windowStart().getEpochSecond())
                .string(rollup.key().server())
                .string(rollup.key().tool())
                .string(rollup.key().serverVersion())
                .uint64(counts.calls())
                .uint64(counts.ok())
                .uint64(counts.toolError())
                .uint64(counts.transportError())
                .uint64(counts.denied())
                .uint64(counts.rateLimited())
                .float64(rollup.latencySumMs())
                .float64(rollup.latencyMaxMs())
                .uint64(bins.zeroCount());
        int size = bins.size();
        row.arraySize(size);
        for (int i = 0; i < size; i++) {
            row.int32(bins.indexAt(i));
        }
        row.arraySize(size);
        for (int i = 0; i < size; i++) {
            row.uint64(bins.countAt(i));
        }
        row.uint64(rollup.revision()).dateTime(ingestedAt);
    }

    @Override
    public void writeAlerts(List<AlertTransition> alerts) {
        long ingestedAt = clock.instant().getEpochSecond();
        insert("alert_events", alerts, alert -> alertRow(alert, ingestedAt));
    }

    @Override
    public void writeStatuses(List<SloStatus> statuses) {
        long ingestedAt = clock.instant().getEpochSecond();
        insert("slo_status", statuses, status -> statusRow(status, ingestedAt));
    }

    @Override
    public void writeDeliveries(List<DeliveryAttempt> deliveries) {
        insert("alert_deliveries", deliveries, ClickHousePipelineStore::deliveryRow);
    }

    @Override
    public void writeAuditLog(List<ChainedAudit> chainedAudits) {
        insert("audit_log", chainedAudits, ClickHousePipelineStore::auditLogRow);
    }

    @Override
    public void writeDigests(List<AuditDigest> digests) {
        insert("audit_digests", digests, ClickHousePipelineStore::digestRow);
    }

    @Override
    public void writeSilences(List<SilenceRevision> silences) {
        // a tombstone on the compacted topic forgets a silence there; the history keeps it
        insert("silences", silences.stream().filter(java.util.Objects::nonNull).toList(), ClickHousePipelineStore::silenceRow);
    }

    @Override
    public void writeAcks(List<Acknowledgement> acks) {
        // a tombstone on the compacted topic forgets an acknowledgement there; the history keeps it
        insert("alert_acks", acks.stream().filter(Objects::nonNull).toList(), ClickHousePipelineStore::ackRow);
    }

    private static ObjectNode ackRow(Acknowledgement ack) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("dedup_key", ack.dedupKey());
        row.put("acked_by", ack.by());
        row.put("comment", ack.comment());
        row.put("at", ack.at().getEpochSecond());
        return row;
    }

    @Override
    public void writeDeadLetters(List<DeadLetter> deadLetters) {
        insert("sink_dead_letters", deadLetters, ClickHousePipelineStore::deadLetterRow);
    }

    /** The original bytes travel as base64 and the reason as printable text, so this row is one the store takes. */
    private static ObjectNode deadLetterRow(DeadLetter letter) {
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("at", letter.at().getEpochSecond());
        row.put("at_ms", letter.at().toEpochMilli());
        row.put("topic", letter.topic());
        row.put("partition", letter.partition());
        row.put("offset", letter.offset());
        row.put("table_name", letter.table());
        row.put("reason", printable(letter.reason(), 4_000));
        row.put("payload_base64", Base64.getEncoder().encodeToString(letter.payload()));
        row.put("payload_bytes", letter.payload().length);
        return row;
    }

    /** Keeps letters, digits, punctuation and spaces; anything else (controls, lone surrogates) becomes U+FFFD. */
    static String printable(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        for (int i = 0; i < text.length() && out.length() < maxChars; ) {
            int codePoint = text.codePointAt(i);
            boolean loneSurrogate = Character.isSurrogate(text.charAt(i)) && Character.charCount(codePoint) == 1;
            out.appendCodePoint(loneSurrogate || Character.isISOControl(codePoint) ? 0xFFFD : codePoint);
            i += Character.charCount(codePoint);
        }
        return out.toString();
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
        Map<RollupKey, CallRollup> latest = new LinkedHashMap<>();
        for (CallRollup rollup : rollups) {
            latest.merge(rollup.key(), rollup, (a, b) -> b.revision() >= a.revision() ? b : a);
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
        } catch (IOException | RuntimeException e) {
            // a record that cannot become a row fails the same way every time: it is the record's fault
            throw new RowsRefused("cannot encode a row for " + table + ": " + e, e);
        }
        try {
            client.insertJsonEachRow(table, body.toByteArray());
        } catch (ClickHouseException e) {
            if (e.refusedData()) {
                throw new RowsRefused(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** A silence revision's row; its version is the revision time, so FINAL reads a silence's last form. */
    private static ObjectNode silenceRow(SilenceRevision revision) {
        var silence = revision.silence();
        ObjectNode row = EventCodec.MAPPER.createObjectNode();
        row.put("id", silence.id());
        ObjectNode matchers = EventCodec.MAPPER.createObjectNode();
        new java.util.TreeMap<>(silence.matchers()).forEach(matchers::put);
        row.put("matchers", matchers.toString());
        row.put("starts_at", silence.startsAt().getEpochSecond());
        row.put("ends_at", silence.endsAt().getEpochSecond());
        row.put("created_by", silence.createdBy());
        row.put("comment", silence.comment());
        row.put("updated_at", revision.revisedAt().getEpochSecond());
        row.put("version", revision.revisedAt().toEpochMilli());
        return row;
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

    private static String orEmpty(String value) {
        return Objects.requireNonNullElse(value, "");
    }
}

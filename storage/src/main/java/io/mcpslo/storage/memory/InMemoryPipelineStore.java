package io.mcpslo.storage.memory;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.PipelineStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * The stream's results held in memory, one table per kind, each keyed as the ClickHouse table's sorting key so a row
 * written twice is kept once, as ClickHouse reads it back (FINAL, {@code LIMIT 1 BY}): the later write of a key wins,
 * and for rollups and silences the higher version does (revision, revision time). Rows keep their full precision;
 * the stores reading them round times as the ClickHouse columns do. The read accessors return immutable snapshots,
 * in the order each key was first written.
 */
public final class InMemoryPipelineStore implements PipelineStore {

    private final Map<List<Object>, CallEvent> calls = new LinkedHashMap<>();
    private final Map<List<Object>, AuditEvent> audits = new LinkedHashMap<>();
    private final Map<List<Object>, CallRollup> rollups = new LinkedHashMap<>();
    private final Map<List<Object>, AlertTransition> alerts = new LinkedHashMap<>();
    private final Map<List<Object>, SloStatus> statuses = new LinkedHashMap<>();
    private final Map<List<Object>, DeliveryAttempt> deliveries = new LinkedHashMap<>();
    private final Map<List<Object>, ChainedAudit> auditLog = new LinkedHashMap<>();
    private final Map<List<Object>, AuditDigest> digests = new LinkedHashMap<>();
    private final Map<List<Object>, SilenceRevision> silences = new LinkedHashMap<>();
    private final Map<List<Object>, DeadLetter> deadLetters = new LinkedHashMap<>();
    private final Map<List<Object>, Acknowledgement> acks = new LinkedHashMap<>();

    @Override
    public void prepare() {
    }

    /** ORDER BY (server, tool, ts, event_id) of {@code calls}; a call without a tool is stored under "". */
    @Override
    public synchronized void writeCalls(List<CallEvent> written) {
        keep(calls, written, call -> List.of(call.envelope().server(), orEmpty(call.envelope().tool()),
                call.envelope().ts().getEpochSecond(), call.envelope().eventId()), latest());
    }

    /** ORDER BY (ts, event_id) of {@code audit_events}. */
    @Override
    public synchronized void writeAudits(List<AuditEvent> written) {
        keep(audits, written, audit -> List.of(audit.envelope().ts().getEpochSecond(), audit.envelope().eventId()),
                latest());
    }

    /** ReplacingMergeTree(revision) over (server, tool, server_version, window_start): the highest revision wins. */
    @Override
    public synchronized void writeRollups(List<CallRollup> written) {
        keep(rollups, written, rollup -> List.of(rollup.key().server(), rollup.key().tool(),
                rollup.key().serverVersion(), rollup.windowStart().getEpochSecond()),
                (kept, added) -> added.revision() >= kept.revision() ? added : kept);
    }

    /** ORDER BY (slo_id, at_ms, dedup_key, to_state) of {@code alert_events}. */
    @Override
    public synchronized void writeAlerts(List<AlertTransition> written) {
        keep(alerts, written, alert -> needing(List.of(alert.sloId(), alert.at().toEpochMilli(), alert.dedupKey(),
                alert.to().name()), alert.from().name(), alert.severity().name(), alert.incidentStart().getEpochSecond()),
                latest());
    }

    /** ORDER BY (slo_id, at) of {@code slo_status}, {@code at} in seconds. */
    @Override
    public synchronized void writeStatuses(List<SloStatus> written) {
        keep(statuses, written, status -> needing(List.of(status.sloId(), status.at().getEpochSecond()),
                status.windowStart().getEpochSecond(), status.windowEnd().getEpochSecond(),
                status.budget().events().good()), latest());
    }

    /** ORDER BY (dedup_key, receiver, status, attempt, at_ms) of {@code alert_deliveries}. */
    @Override
    public synchronized void writeDeliveries(List<DeliveryAttempt> written) {
        keep(deliveries, written, attempt -> needing(List.of(attempt.dedupKey(), String.valueOf(attempt.receiver()),
                attempt.status().name(), attempt.attempt(), attempt.at().toEpochMilli()),
                attempt.receiverType().name()), latest());
    }

    /** ORDER BY (actor, ts_ms, event_id, chain_partition, chain_seq) of {@code audit_log}. */
    @Override
    public synchronized void writeAuditLog(List<ChainedAudit> written) {
        keep(auditLog, written, chained -> List.of(chained.event().actor(),
                chained.event().envelope().ts().toEpochMilli(), chained.event().envelope().eventId(),
                chained.link().partition(), chained.link().seq()), latest());
    }

    /** ORDER BY (chain_partition, chain_seq) of {@code audit_digests}. */
    @Override
    public synchronized void writeDigests(List<AuditDigest> written) {
        keep(digests, written, digest -> List.of(digest.partition(), digest.seq()), latest());
    }

    /** ReplacingMergeTree(version) over id, the version being the revision time: a silence's last form wins. */
    @Override
    public synchronized void writeSilences(List<SilenceRevision> written) {
        // a tombstone on the compacted topic forgets a silence there; the history keeps it
        keep(silences, written.stream().filter(Objects::nonNull).toList(), revision -> List.of(revision.silence().id()),
                (kept, added) -> added.revisedAt().toEpochMilli() >= kept.revisedAt().toEpochMilli() ? added : kept);
    }

    /** ReplacingMergeTree() over dedup_key of {@code alert_acks}: the last acknowledgement written wins. */
    @Override
    public synchronized void writeAcks(List<Acknowledgement> written) {
        // a tombstone on the compacted topic forgets an acknowledgement there; the history keeps it
        keep(acks, written.stream().filter(Objects::nonNull).toList(), ack -> List.of(ack.dedupKey()), latest());
    }

    /** ORDER BY (topic, partition, offset) of {@code sink_dead_letters}. */
    @Override
    public synchronized void writeDeadLetters(List<DeadLetter> written) {
        keep(deadLetters, written, letter -> List.of(letter.topic(), letter.partition(), letter.offset()), latest());
    }

    public synchronized List<CallEvent> calls() {
        return List.copyOf(calls.values());
    }

    public synchronized List<AuditEvent> audits() {
        return List.copyOf(audits.values());
    }

    /** Each (server, tool, server version, minute) once, at its latest revision. */
    public synchronized List<CallRollup> rollups() {
        return List.copyOf(rollups.values());
    }

    public synchronized List<AlertTransition> alerts() {
        return List.copyOf(alerts.values());
    }

    public synchronized List<SloStatus> statuses() {
        return List.copyOf(statuses.values());
    }

    public synchronized List<DeliveryAttempt> deliveries() {
        return List.copyOf(deliveries.values());
    }

    public synchronized List<ChainedAudit> auditLog() {
        return List.copyOf(auditLog.values());
    }

    public synchronized List<AuditDigest> digests() {
        return List.copyOf(digests.values());
    }

    /** Each silence once, in its last form. */
    public synchronized List<SilenceRevision> silences() {
        return List.copyOf(silences.values());
    }

    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters.values());
    }

    /** Each alert's last acknowledgement. */
    public synchronized List<Acknowledgement> acks() {
        return List.copyOf(acks.values());
    }

    /**
     * Stores the rows, or none of them: a row whose key cannot be made lacks a field its table needs, which the
     * ClickHouse sink refuses the same way (it cannot encode the row), so the batch is refused as a whole.
     */
    private static <T> void keep(Map<List<Object>, T> table, List<T> written, Function<T, List<Object>> key,
                                 BinaryOperator<T> pick) {
        List<List<Object>> keys = new java.util.ArrayList<>(written.size());
        for (T row : written) {
            try {
                keys.add(key.apply(row));
            } catch (RuntimeException e) {
                throw new RowsRefused("cannot store a row of " + row.getClass().getSimpleName() + ": " + e, e);
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            table.merge(keys.get(i), written.get(i), pick);
        }
    }

    /** The key, once the fields a row needs besides it were read (reading a missing one fails the row). */
    private static List<Object> needing(List<Object> key, Object... neededFields) {
        return key;
    }

    /** ReplacingMergeTree without a version keeps the row inserted last. */
    private static <T> BinaryOperator<T> latest() {
        return (kept, added) -> added;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}

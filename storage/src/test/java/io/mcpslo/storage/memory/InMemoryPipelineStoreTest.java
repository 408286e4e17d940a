package io.mcpslo.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.PipelineStoreContract;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pipeline contract in memory, and the snapshots the other in-memory stores read. */
class InMemoryPipelineStoreTest extends PipelineStoreContract {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00.250Z");

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage(Clock.systemUTC());
    }

    private static EventEnvelope envelope(UUID id, String tool, Instant ts) {
        return new EventEnvelope(id, ts, "gateway", "github", "1.0", tool, "tools/call", null, null, null, null, null,
                null);
    }

    private static CallEvent call(UUID id, String tool, double durationMs) {
        return new CallEvent(envelope(id, tool, T), durationMs, Outcome.OK, null, null, null, null);
    }

    @Test
    void eachKindIsKeptOncePerItsTableKeyTheLaterWriteWinning() {
        var pipeline = new InMemoryPipelineStore();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        pipeline.writeCalls(List.of(call(first, "search", 10), call(second, null, 20)));
        pipeline.writeCalls(List.of(call(first, "search", 11), call(second, null, 20)));
        var audit = new AuditEvent(envelope(first, "search", T), "alice", null, "tools/call", null, null,
                AuditEvent.Decision.DENY, null, null, null);
        pipeline.writeAudits(List.of(audit, audit));
        var chained = new ChainedAudit(audit, new AuditChain.Link(0, 1, "p", "h"), T);
        pipeline.writeAuditLog(List.of(chained));
        pipeline.writeAuditLog(List.of(chained));
        pipeline.writeDigests(List.of(new AuditDigest(0, 1, "h", "first", T), new AuditDigest(0, 1, "h", "again", T),
                new AuditDigest(1, 1, "h", "other", T)));
        var attempt = new DeliveryAttempt("k", "slo", "hook", ReceiverType.WEBHOOK, AlertStatus.FIRING, 1, T,
                DeliveryAttempt.Result.FAILED, 500, "down");
        pipeline.writeDeliveries(List.of(attempt, attempt));

        assertEquals(List.of(11.0, 20.0), pipeline.calls().stream().map(CallEvent::durationMs).toList(),
                "one row per (server, tool, second, event id), the later write's");
        assertEquals(List.of(audit), pipeline.audits());
        assertEquals(List.of(chained), pipeline.auditLog());
        assertEquals(List.of("again", "other"), pipeline.digests().stream().map(AuditDigest::hmac).toList());
        assertEquals(List.of(attempt), pipeline.deliveries());
    }

    @Test
    void aSilenceIsKeptInItsLastRevisedFormWhateverTheOrderWritten() {
        var pipeline = new InMemoryPipelineStore();
        var created = new SilenceRevision(new Silence("s", Map.of("slo", "x"), T, T.plusSeconds(3_600), "a", ""), T);
        var expired = new SilenceRevision(new Silence("s", Map.of("slo", "x"), T, T.plusSeconds(60), "a", ""),
                T.plusSeconds(60));
        pipeline.writeSilences(Arrays.asList(expired, null, created));

        assertEquals(List.of(expired), pipeline.silences(), "the tombstone is skipped, the later revision kept");
    }

    @Test
    void snapshotsNeitherChangeLaterNorAcceptChanges() {
        var pipeline = new InMemoryPipelineStore();
        pipeline.writeCalls(List.of(call(UUID.randomUUID(), "search", 1)));
        List<CallEvent> before = pipeline.calls();

        pipeline.writeCalls(List.of(call(UUID.randomUUID(), "search", 2)));

        assertEquals(1, before.size());
        assertEquals(2, pipeline.calls().size());
        assertThrows(UnsupportedOperationException.class, () -> before.add(before.get(0)));
    }
}

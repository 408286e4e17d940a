package io.mcpslo.storage.contract;

import static io.mcpslo.storage.contract.Seeds.T0;
import static io.mcpslo.storage.contract.Seeds.audit;
import static io.mcpslo.storage.contract.Seeds.call;
import static io.mcpslo.storage.contract.Seeds.minute;
import static io.mcpslo.storage.contract.Seeds.rollup;
import static io.mcpslo.storage.contract.Seeds.status;
import static io.mcpslo.storage.contract.Seeds.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.Silence;
import io.mcpslo.engine.alert.SilenceRevision;
import io.mcpslo.engine.notify.DeliveryAttempt;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.storage.pipeline.DeadLetter;
import io.mcpslo.storage.pipeline.PipelineStore.Batch;
import io.mcpslo.storage.pipeline.PipelineStore.RowsRefused;
import io.mcpslo.storage.rollup.RollupQuery;
import io.mcpslo.storage.slo.AlertQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link io.mcpslo.storage.pipeline.PipelineStore} promises the sink: every kind of row is taken, and rows
 * written twice (a batch retried after a crash, a replayed topic) read back as if written once.
 */
public abstract class PipelineStoreContract extends StoreContract {

    private static final Instant DAY_END = T0.plus(Duration.ofDays(1));

    private static Batch everyKind() {
        var audit = audit("alice", "github", "search", T0.plusSeconds(5));
        return new Batch(
                List.of(call("github", "search", T0.plusSeconds(5), 12.5, Outcome.OK),
                        call("github", "search", T0.plusSeconds(6), 900, Outcome.TRANSPORT_ERROR)),
                List.of(audit),
                List.of(rollup("github", "search", "1.0", minute(0), 1, 0, 1, 12.5)),
                List.of(transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING,
                        T0.plusSeconds(60), T0.plusSeconds(60), "k1")),
                List.of(status("checkout", "team-x", T0.plusSeconds(60), 99, 1, 3)),
                List.of(new DeliveryAttempt("k1", "checkout", "ops-webhook", ReceiverType.WEBHOOK, AlertStatus.FIRING,
                        1, T0.plusSeconds(61), DeliveryAttempt.Result.DELIVERED, 200, null)),
                List.of(new ChainedAudit(audit, new AuditChain.Link(0, 1, "0".repeat(64), "a".repeat(64)),
                        T0.plusSeconds(7))),
                List.of(new AuditDigest(0, 1, "a".repeat(64), "b".repeat(64), T0.plusSeconds(8))));
    }

    private long rollupCalls() {
        return storage.rollups().buckets(new RollupQuery(Optional.empty(), Optional.empty(), Optional.empty(), T0,
                DAY_END, Optional.empty())).get(0).counts().calls();
    }

    private int alertCount() {
        return storage.slos().alerts(new AlertQuery(false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Set.of(), T0, DAY_END, 100)).size();
    }

    @Test
    public void aBatchOfEveryKindWrittenTwiceReadsBackAsIfWrittenOnce() {
        storage.pipeline().write(everyKind());
        storage.pipeline().write(everyKind());

        assertEquals(2, rollupCalls());
        assertEquals(1, alertCount());
        assertEquals(1, storage.slos().snapshots("checkout", T0, DAY_END, Duration.ofDays(1)).size());
        assertEquals(List.of(100L), storage.slos().latestSnapshots(List.of("checkout"), DAY_END).stream()
                .map(snapshot -> snapshot.good() + snapshot.bad()).toList());
    }

    @Test
    public void silencesTheirTombstonesAndDeadLettersAreTakenTwice() {
        var silence = new Silence("s-1", Map.of("slo", "checkout"), T0, T0.plusSeconds(3_600), "alice", "deploy");
        var revisions = Arrays.asList(new SilenceRevision(silence, T0), null,
                new SilenceRevision(silence, T0.plusSeconds(60)));
        var letter = new DeadLetter("mcp.calls", 0, 42, "calls", "refused", new byte[] {0}, T0.plusSeconds(9));
        storage.pipeline().writeSilences(revisions);
        storage.pipeline().writeSilences(revisions);
        storage.pipeline().writeDeadLetters(List.of(letter, letter));

        assertEquals(1, storage.deadLetters().recent(T0, DAY_END, Optional.empty(), 10).size());
    }

    @Test
    public void emptyWritesStoreNothing() {
        storage.pipeline().write(new Batch(List.of(), List.of(), List.of()));
        storage.pipeline().writeSilences(List.of());
        storage.pipeline().writeDeadLetters(List.of());

        assertEquals(0, rollupCalls());
        assertEquals(0, alertCount());
        assertEquals(List.of(), storage.slos().latestSnapshots(List.of("checkout"), DAY_END));
        assertEquals(List.of(), storage.deadLetters().recent(T0, DAY_END, Optional.empty(), 10));
    }

    @Test
    public void aBatchWithARowMissingAFieldItsTableNeedsIsRefusedWholeAndTheRestCanBeWrittenAgain() {
        var good = transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING,
                T0.plusSeconds(60), T0.plusSeconds(60), "k1");
        var noTime = transition("checkout", "team-x", AlertKind.TICKET, AlertStatus.PENDING, AlertStatus.FIRING,
                null, T0, "k2");
        var okStatus = status("checkout", "team-x", T0.plusSeconds(60), 99, 1, 3);
        var noWindow = new SloStatus("checkout", "team-x", T0.plusSeconds(120), null, null, null, 0.99,
                okStatus.budget(), Map.of(), List.of(), false, false, false);

        assertThrows(RowsRefused.class, () -> storage.pipeline().writeAlerts(List.of(good, noTime)));
        assertThrows(RowsRefused.class, () -> storage.pipeline().writeStatuses(List.of(okStatus, noWindow)));
        assertEquals(0, alertCount(), "nothing of a refused batch is kept");
        assertEquals(List.of(), storage.slos().latestSnapshots(List.of("checkout"), DAY_END));

        storage.pipeline().writeAlerts(List.of(good));
        storage.pipeline().writeStatuses(List.of(okStatus));
        assertEquals(1, alertCount());
        assertEquals(1, storage.slos().latestSnapshots(List.of("checkout"), DAY_END).size());
    }

    @Test
    public void aRollupBatchHoldingSeveralRevisionsOfAWindowKeepsTheHighest() {
        storage.pipeline().writeRollups(List.of(rollup("a", "t", "1", minute(0), 1, 0, 0, 5),
                rollup("a", "t", "1", minute(0), 3, 0, 0, 5), rollup("a", "t", "1", minute(0), 2, 0, 0, 5)));

        assertEquals(3, rollupCalls());
        assertEquals(new OutcomeCounts(3, 0, 0, 0, 0), storage.rollups().buckets(new RollupQuery(Optional.of("a"),
                Optional.of("t"), Optional.of("1"), T0, DAY_END, Optional.of(Duration.ofMinutes(1)))).get(0).counts());
    }
}

package io.mcpslo.processor.topology;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SloAlerting;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.MinuteSeries;
import io.mcpslo.engine.slo.Sli;
import io.mcpslo.engine.slo.SloCalculator;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the pure SLO engine from the rollup stream. Each task evaluates the SLOs of its partition of the
 * evaluation topic ({@link SloShards}); every rollup an SLO counts reaches that SLO's task, so every SLO sees every
 * call in its scope.
 *
 * <p>Per rollup, the latest revision of each (server, tool, version, minute) is kept for the allowed lateness;
 * the minute's aggregate for each SLO whose scope matches is recomputed from them and stored, so an SLO's
 * history outlives the lateness. A wall-clock punctuator evaluates every SLO each {@code evaluationInterval}:
 * burn rates, budget and alert state; transitions go out at once, a status snapshot once a minute per SLO.
 * Alert states live in a changelogged store, so a restart neither forgets a firing alert nor fires it again.
 *
 * <p>When an SLO first appears (start, reload, a new or changed definition) its history for the whole window is
 * read from storage off the stream thread, started at its first evaluation (when the wall clock is known) and
 * handed in at one once read: settled minutes as stored, the minutes still within the lateness as rollups, which
 * join the latest-revision store so a rollup both stored and seen live counts once. Alerts storage holds open
 * while the local store knows nothing of them are adopted, so the next evaluation keeps or resolves them under
 * their own dedup key. An SLO is evaluated once its first read has ended (or has taken {@link #FIRST_READ_WAIT});
 * a failed read is counted, and retried while the SLO goes on with what it has.
 */
final class SloEvaluationProcessor implements Processor<String, CallRollup, String, SloEvaluationProcessor.Output> {

    /** What an evaluation emits: an alert transition for the alerts topic, or a status snapshot for the status topic. */
    sealed interface Output {
    }

    record Transition(AlertTransition transition) implements Output {
    }

    record Status(SloStatus status) implements Output {
    }


    // renamed when evaluation was spread over partitions: the old changelogs have one partition
    static final String ROLLUPS_STORE = "slo-shard-rollups-latest";
    static final String MINUTES_STORE = "slo-shard-minutes";
    static final String ALERTS_STORE = "slo-shard-alert-states";
    private static final char SEPARATOR = '\u001f';
    /** History kept beyond an SLO's window, so the longest burn-rate window (3 d) is always whole. */
    private static final Duration EXTRA_HISTORY = Duration.ofDays(3).plusHours(1);
    /** How soon a failed read of an SLO's stored history is tried again. */
    static final Duration HISTORY_RETRY = Duration.ofSeconds(30);
    /** How long a new SLO waits for its stored history before it is evaluated without (storage slow to answer). */
    static final Duration FIRST_READ_WAIT = Duration.ofSeconds(30);
    /** How far back open alerts are looked for in storage (as the query API does). */
    private static final Duration OPEN_ALERT_LOOKBACK = Duration.ofDays(90);
    private static final Logger LOG = LoggerFactory.getLogger(SloEvaluationProcessor.class);

    private final Supplier<List<SloDefinition>> slos;
    private final int partitions;
    /** This task's partition of the evaluation topic: the SLOs it evaluates. */
    private int partition;
    private final Duration evaluationInterval;
    private final Timer evaluationGaps;
    private long lastEvaluationMs = Long.MIN_VALUE;
    private final Duration lateness;
    private final Counter staleRollups;
    private final Counter transitionsOut;
    private final Counter historyFailures;
    private final Counter minuteRescans;
    private final SloHistory history;
    private final Executor historyReads;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, CallRollup> latestRollups;
    private KeyValueStore<String, RollupAggregate> minutes;
    private KeyValueStore<String, String> alertStates;
    private List<SloDefinition> loaded = List.of();
    private boolean initialized;
    private boolean orphansChecked;
    private final Map<String, TrackedSlo> tracked = new LinkedHashMap<>();

    /** An SLO in force with its per-minute SLI series, alert states and last snapshot minute, all in memory. */
    private static final class TrackedSlo {
        final SloDefinition definition;
        final MinuteSeries series = new MinuteSeries();
        Map<AlertKind, AlertState> alerts = new EnumMap<>(AlertKind.class);
        long lastSnapshotMinute = Long.MIN_VALUE;
        /** When the next read of stored history is due (null: none); a new SLO's is due at its first evaluation. */
        Instant readDue = Instant.MIN;
        /** The read of the stored history under way, if any. */
        CompletableFuture<StoredHistory> reading;
        /** Until its first read of stored history ends, or this instant passes, the SLO is not evaluated. */
        Instant heldUntil;
        boolean firstReadEnded;

        TrackedSlo(SloDefinition definition) {
            this.definition = definition;
        }
    }

    /** What storage held of one SLO: minutes beyond the lateness summed, rollups of the later minutes, open alerts. */
    private record StoredHistory(Map<Instant, RollupAggregate> settledMinutes, List<CallRollup> liveRollups,
                                 List<AlertState> openAlerts) {
    }

    SloEvaluationProcessor(Supplier<List<SloDefinition>> slos, Duration evaluationInterval, Duration lateness,
                           SloHistory history, Executor historyReads, MeterRegistry registry, int partitions) {
        this.slos = slos;
        this.partitions = partitions;
        this.history = history;
        this.historyReads = historyReads;
        this.evaluationInterval = evaluationInterval;
        this.lateness = lateness;
        this.staleRollups = Counter.builder("mcp_processor_slo_stale_rollups")
                .description("Rollup revisions older than one already seen; ignored").register(registry);
        this.transitionsOut = Counter.builder("mcp_processor_alert_transitions")
                .description("Alert state transitions published").register(registry);
        this.minuteRescans = Counter.builder("mcp_processor_slo_minute_rescans")
                .description("Minutes of an SLO summed again from every kept rollup (new SLOs, stored history, "
                        + "repairs); a rollup on the live path updates its minute without one").register(registry);
        this.historyFailures = Counter.builder("mcp_processor_slo_history_read_failures")
                .description("Reads of an SLO's stored history that failed (retried)").register(registry);
        // its max covers the last ~20 s, so a burst that held evaluation back shows while it is recent
        this.evaluationGaps = Timer.builder("mcp_processor_slo_evaluation_gap")
                .description("Time between two evaluations of the SLOs (the evaluation interval when the task keeps up)")
                .distributionStatisticExpiry(Duration.ofSeconds(20)).distributionStatisticBufferLength(2)
                .register(registry);
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        this.latestRollups = context.getStateStore(ROLLUPS_STORE);
        this.minutes = context.getStateStore(MINUTES_STORE);
        this.alertStates = context.getStateStore(ALERTS_STORE);
        // nothing may be forwarded during init: SLOs removed while the processor was down are retired at the first
        // evaluation
        applyCatalog(slos.get(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        initialized = true;
        context.schedule(evaluationInterval, PunctuationType.WALL_CLOCK_TIME,
                timestamp -> evaluate(Instant.ofEpochMilli(timestamp)));
    }

    @Override
    public void process(Record<String, CallRollup> record) {
        CallRollup rollup = record.value();
        if (rollup == null) {
            return;
        }
        String key = rollup.key().storeKey();
        CallRollup previous = latestRollups.get(key);
        if (previous != null && previous.revision() >= rollup.revision()) {
            staleRollups.increment();
            return;
        }
        latestRollups.put(key, rollup);
        for (TrackedSlo slo : tracked.values()) {
            if (slo.definition.scope().matches(rollup.key())) {
                replaceInMinute(slo, previous, rollup);
            }
        }
    }

    /** Keeps the rollup unless its key's kept revision is as recent; says whether it was kept. */
    private boolean keepIfLatest(CallRollup rollup) {
        String key = rollup.key().storeKey();
        CallRollup previous = latestRollups.get(key);
        if (previous != null && previous.revision() >= rollup.revision()) {
            return false;
        }
        latestRollups.put(key, rollup);
        return true;
    }

    /**
     * Swaps a key's previous revision for its new one in the SLO's stored minute: constant work per rollup, where
     * summing the whole minute again would cost one read per key of the minute (quadratic in distinct tools).
     */
    private void replaceInMinute(TrackedSlo slo, CallRollup previous, CallRollup latest) {
        Instant minute = latest.windowStart();
        String key = minuteKey(slo.definition, minute);
        RollupAggregate stored = minutes.get(key);
        RollupAggregate updated;
        try {
            if (stored == null) {
                if (previous != null) {
                    // the minute was pruned or never summed while a revision of this key was kept: sum it whole
                    recomputeMinute(slo, minute);
                    return;
                }
                updated = RollupAggregate.of(latest);
            } else {
                updated = (previous == null ? stored : stored.minus(RollupAggregate.of(previous)))
                        .plus(RollupAggregate.of(latest));
            }
        } catch (IllegalArgumentException inconsistent) {
            // the stored sum does not hold the previous revision (it came from storage as a settled minute)
            recomputeMinute(slo, minute);
            return;
        }
        minutes.put(key, updated);
        slo.series.put(minute, slo.definition.sli().count(updated));
    }

    /** Sums the latest rollups of one minute that fall in the SLO's scope, and stores the sum. */
    private void recomputeMinute(TrackedSlo slo, Instant minute) {
        minuteRescans.increment();
        RollupAggregate aggregate = RollupAggregate.EMPTY;
        String prefix = RollupKey.timePrefix(minute) + SEPARATOR;
        try (KeyValueIterator<String, CallRollup> it = latestRollups.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                CallRollup rollup = it.next().value;
                if (slo.definition.scope().matches(rollup.key())) {
                    aggregate = aggregate.plus(RollupAggregate.of(rollup));
                }
            }
        }
        minutes.put(minuteKey(slo.definition, minute), aggregate);
        slo.series.put(minute, slo.definition.sli().count(aggregate));
    }

    private void applyCatalog(List<SloDefinition> definitions, Instant now) {
        if (definitions.equals(loaded) && orphansChecked) {
            return;
        }
        if (initialized) {
            // by the whole catalog: an SLO another partition evaluates is not retired here
            retireRemoved(definitions, now);
            orphansChecked = true;
        }
        if (definitions.equals(loaded)) {
            return;
        }
        Map<String, TrackedSlo> previous = new HashMap<>(tracked);
        tracked.clear();
        for (SloDefinition definition : definitions) {
            if (SloShards.of(definition.id(), partitions) != partition) {
                continue;
            }
            TrackedSlo before = previous.get(definition.id());
            if (before != null && before.definition.equals(definition)) {
                tracked.put(definition.id(), before);
                continue;
            }
            TrackedSlo slo = new TrackedSlo(definition);
            loadHistory(slo);
            slo.alerts = before != null ? before.alerts : loadAlerts(definition.id());
            tracked.put(definition.id(), slo);
        }
        loaded = definitions;
        LOG.info("evaluating {} of {} SLOs (partition {} of {})", tracked.size(), definitions.size(), partition,
                partitions);
    }

    /** Reads the SLO's stored minutes, then folds in the recent rollups it has not seen (a new or rescoped SLO). */
    private void loadHistory(TrackedSlo slo) {
        String prefix = slo.definition.historyKey() + SEPARATOR;
        int stored = 0;
        try (KeyValueIterator<String, RollupAggregate> it = minutes.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, RollupAggregate> entry = it.next();
                Instant minute = Instant.ofEpochMilli(Long.parseLong(entry.key.substring(prefix.length())));
                slo.series.put(minute, slo.definition.sli().count(entry.value));
                stored++;
            }
        }
        if (stored == 0) {
            List<Instant> seen = new ArrayList<>();
            try (KeyValueIterator<String, CallRollup> it = latestRollups.all()) {
                while (it.hasNext()) {
                    CallRollup rollup = it.next().value;
                    if (slo.definition.scope().matches(rollup.key())
                            && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(rollup.windowStart()))) {
                        seen.add(rollup.windowStart());
                    }
                }
            }
            seen.forEach(minute -> recomputeMinute(slo, minute));
        }
    }

    /** Starts reading the SLO's stored history off the stream thread. */
    private void readHistory(TrackedSlo slo, Instant now) {
        SloDefinition definition = slo.definition;
        Instant liveFrom = liveHorizon(now);
        Instant from = min(definition.window().start(now), now.minus(EXTRA_HISTORY));
        // rollups a little ahead of the wall clock (clock skew) count as they do live
        Instant to = now.plus(Duration.ofHours(1));
        boolean withLatency = needsLatency(definition.sli());
        slo.readDue = null;
        slo.reading = CompletableFuture.supplyAsync(() -> new StoredHistory(
                history.minutes(definition.scope(), from, liveFrom, withLatency),
                history.rollups(definition.scope(), liveFrom, to),
                history.openAlerts(definition.id(), now.minus(OPEN_ALERT_LOOKBACK))), historyReads);
    }

    /** Starts the reads of stored history that are due; hands in those that have ended. */
    private void takeReadHistories(Instant now) {
        for (TrackedSlo slo : tracked.values()) {
            if (slo.reading == null && slo.readDue != null && !now.isBefore(slo.readDue)) {
                readHistory(slo, now);
                if (!slo.firstReadEnded && slo.heldUntil == null) {
                    slo.heldUntil = now.plus(FIRST_READ_WAIT);
                }
            }
            if (slo.reading == null || !slo.reading.isDone()) {
                continue;
            }
            try {
                StoredHistory stored = slo.reading.join();
                applyHistory(slo, stored);
                LOG.info("SLO {}: {} settled minutes and {} recent rollups read from storage, {} open alerts",
                        slo.definition.id(), stored.settledMinutes().size(), stored.liveRollups().size(),
                        stored.openAlerts().size());
            } catch (CompletionException e) {
                historyFailures.increment();
                slo.readDue = now.plus(HISTORY_RETRY);
                LOG.warn("SLO {}: reading its stored history failed; evaluated on the processor's own state, read "
                        + "again in {}: {}", slo.definition.id(), HISTORY_RETRY, String.valueOf(e.getCause()));
            }
            slo.reading = null;
            slo.firstReadEnded = true;
            slo.heldUntil = null;
        }
    }

    private void applyHistory(TrackedSlo slo, StoredHistory stored) {
        boolean withLatency = needsLatency(slo.definition.sli());
        for (var minute : stored.settledMinutes().entrySet()) {
            String key = minuteKey(slo.definition, minute.getKey());
            RollupAggregate local = minutes.get(key);
            // a minute the local store already holds alike is not written again (each write goes to the changelog)
            if (local == null || !local.counts().equals(minute.getValue().counts())
                    || withLatency && !local.latency().equals(minute.getValue().latency())) {
                minutes.put(key, minute.getValue());
                slo.series.put(minute.getKey(), slo.definition.sli().count(minute.getValue()));
            }
        }
        Set<Instant> readMinutes = new TreeSet<>();
        List<CallRollup> kept = new ArrayList<>();
        for (CallRollup rollup : stored.liveRollups()) {
            readMinutes.add(rollup.windowStart());
            if (keepIfLatest(rollup)) {
                kept.add(rollup);
            }
        }
        readMinutes.forEach(minute -> recomputeMinute(slo, minute));
        for (TrackedSlo other : tracked.values()) {
            if (other != slo) {
                kept.stream().filter(rollup -> other.definition.scope().matches(rollup.key()))
                        .map(CallRollup::windowStart).distinct().forEach(minute -> recomputeMinute(other, minute));
            }
        }
        for (AlertState open : stored.openAlerts()) {
            // the local store wins: it holds every transition this processor made, storage may lag behind it
            if (!slo.alerts.containsKey(open.kind())) {
                slo.alerts.put(open.kind(), open);
                alertStates.put(alertKey(slo.definition.id(), open.kind()),
                        AlertStateText.encode(open, slo.definition.team()));
            }
        }
    }

    private static boolean needsLatency(Sli sli) {
        return Sli.readsLatency(sli);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Rollups of minutes starting before this may no longer change; later ones are kept per key. */
    private Instant liveHorizon(Instant now) {
        return RollupKey.windowStartOf(now.minus(lateness).minus(Duration.ofMinutes(10)));
    }

    /** Alert states of SLOs no longer defined (also those removed while the processor was down) are resolved. */
    private void retireRemoved(List<SloDefinition> definitions, Instant now) {
        java.util.Set<String> defined = new java.util.HashSet<>();
        definitions.forEach(slo -> defined.add(slo.id()));
        Map<String, Map<AlertKind, AlertState>> orphaned = new HashMap<>();
        Map<String, String> teams = new HashMap<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = alertStates.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                int separator = entry.key.indexOf(SEPARATOR);
                String sloId = entry.key.substring(0, separator);
                if (!defined.contains(sloId)) {
                    AlertKind kind = AlertKind.fromLabel(entry.key.substring(separator + 1));
                    orphaned.computeIfAbsent(sloId, id -> new EnumMap<>(AlertKind.class))
                            .put(kind, AlertStateText.decode(sloId, kind, entry.value));
                    teams.put(sloId, AlertStateText.team(entry.value));
                    keys.add(entry.key);
                }
            }
        }
        orphaned.forEach((sloId, states) -> {
            for (AlertTransition transition : SloAlerting.retire(sloId, teams.get(sloId), states, now)) {
                context.forward(new Record<>(transition.dedupKey(), new Transition(transition), now.toEpochMilli()));
                transitionsOut.increment();
                LOG.info("alert {} {} → {}: {}", transition.dedupKey(), transition.from(), transition.to(),
                        transition.summary());
            }
        });
        keys.forEach(alertStates::delete);
    }

    private Map<AlertKind, AlertState> loadAlerts(String sloId) {
        Map<AlertKind, AlertState> states = new EnumMap<>(AlertKind.class);
        for (AlertKind kind : AlertKind.values()) {
            String stored = alertStates.get(alertKey(sloId, kind));
            if (stored != null) {
                states.put(kind, AlertStateText.decode(sloId, kind, stored));
            }
        }
        return states;
    }

    private void evaluate(Instant now) {
        if (lastEvaluationMs != Long.MIN_VALUE) {
            evaluationGaps.record(Duration.ofMillis(Math.max(0, now.toEpochMilli() - lastEvaluationMs)));
        }
        lastEvaluationMs = now.toEpochMilli();
        applyCatalog(slos.get(), now);
        takeReadHistories(now);
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        for (TrackedSlo slo : tracked.values()) {
            if (slo.heldUntil != null && now.isBefore(slo.heldUntil)) {
                continue;
            }
            SloStatus status = SloCalculator.status(slo.definition, slo.series, now);
            SloAlerting.Step step = SloAlerting.advance(slo.definition, status, slo.alerts);
            for (AlertTransition transition : step.transitions()) {
                context.forward(new Record<>(transition.dedupKey(), new Transition(transition), now.toEpochMilli()));
                transitionsOut.increment();
                LOG.info("alert {} {} → {}: {}", transition.dedupKey(), transition.from(), transition.to(),
                        transition.summary());
            }
            for (var entry : step.states().entrySet()) {
                AlertState before = slo.alerts.get(entry.getKey());
                if (!entry.getValue().equals(before)) {
                    alertStates.put(alertKey(slo.definition.id(), entry.getKey()),
                            AlertStateText.encode(entry.getValue(), slo.definition.team()));
                }
            }
            slo.alerts = new EnumMap<>(step.states());
            if (minute != slo.lastSnapshotMinute || !step.transitions().isEmpty()) {
                context.forward(new Record<>(slo.definition.id(), new Status(status), now.toEpochMilli()));
                if (minute != slo.lastSnapshotMinute) {
                    prune(slo, now);
                }
                slo.lastSnapshotMinute = minute;
            }
        }
        pruneRollups(now);
    }

    private void prune(TrackedSlo slo, Instant now) {
        Instant cutoff = slo.definition.window().start(now).minus(EXTRA_HISTORY);
        slo.series.pruneBefore(cutoff);
        String prefix = slo.definition.historyKey() + SEPARATOR;
        deleteRange(minutes, prefix, prefix + RollupKey.timePrefix(cutoff));
    }

    private void pruneRollups(Instant now) {
        deleteRange(latestRollups, "", RollupKey.timePrefix(liveHorizon(now)));
    }

    private static <V> void deleteRange(KeyValueStore<String, V> store, String from, String to) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            while (it.hasNext()) {
                expired.add(it.next().key);
            }
        }
        expired.forEach(store::delete);
    }

    private static String minuteKey(SloDefinition slo, Instant minute) {
        return slo.historyKey() + SEPARATOR + RollupKey.timePrefix(minute);
    }

    private static String alertKey(String sloId, AlertKind kind) {
        return sloId + SEPARATOR + kind.label();
    }

    /** Alert states in the store as text: status, since (epoch ms), dedup key and the SLO's team, tab-separated. */
    static final class AlertStateText {

        private AlertStateText() {
        }

        static String encode(AlertState state, String team) {
            return state.status() + "\t" + state.since().toEpochMilli() + "\t"
                    + (state.dedupKey() == null ? "" : state.dedupKey()) + "\t" + team;
        }

        static String team(String text) {
            String[] parts = text.split("\t", -1);
            return parts.length > 3 ? parts[3] : "";
        }

        static AlertState decode(String sloId, AlertKind kind, String text) {
            String[] parts = text.split("\t", -1);
            return new AlertState(sloId, kind, AlertStatus.valueOf(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    parts[2].isEmpty() ? null : parts[2]);
        }
    }
}

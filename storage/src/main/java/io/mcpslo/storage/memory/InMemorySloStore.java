package io.mcpslo.storage.memory;

import io.mcpslo.engine.alert.Acknowledgement;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.storage.slo.AlertQuery;
import io.mcpslo.storage.slo.AlertRecord;
import io.mcpslo.storage.slo.SloSnapshot;
import io.mcpslo.storage.slo.SloStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SLO snapshots and alert transitions from the pipeline, read as the ClickHouse tables answer (times at their
 * columns' precision, a burn rate that is not a finite number as 0); acknowledgements as the pipeline wrote them, the last per alert.
 */
final class InMemorySloStore implements SloStore {

    private static final Duration ACTIVE_LOOKBACK = Duration.ofDays(90);
    private static final Duration RECENT_STATUS = Duration.ofHours(1);
    private static final int TRANSITIONS_READ = 1000;

    private final InMemoryPipelineStore pipeline;

    InMemorySloStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    /** The SLOs written to in the last hour first, then the quieter ones, each part in SLO id order. */
    @Override
    public List<SloSnapshot> latestSnapshots(Collection<String> sloIds, Instant now) {
        Map<String, SloStatus> latest = new TreeMap<>();
        statusesOf(sloIds).forEach(status -> latest.merge(status.sloId(), status, InMemorySloStore::later));
        long recentFrom = now.minus(RECENT_STATUS).getEpochSecond();
        Map<Boolean, List<SloSnapshot>> byRecency = latest.values().stream().collect(Collectors.partitioningBy(
                status -> status.at().getEpochSecond() >= recentFrom,
                Collectors.mapping(InMemorySloStore::snapshot, Collectors.toList())));
        return Stream.concat(byRecency.get(true).stream(), byRecency.get(false).stream()).toList();
    }

    @Override
    public List<SloSnapshot> snapshots(String sloId, Instant from, Instant to, Duration step) {
        return lastPerBucket(List.of(sloId), from, to, step).getOrDefault(sloId, new TreeMap<>()).values().stream()
                .map(InMemorySloStore::snapshot).toList();
    }

    @Override
    public Map<String, List<Double>> hourBurnSeries(Collection<String> sloIds, Instant from, Instant to,
                                                    Duration step) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        lastPerBucket(sloIds, from, to, step).forEach((sloId, buckets) -> series.put(sloId, buckets.values().stream()
                .map(status -> finite(status.burnRates().get("1h"))).toList()));
        return series;
    }

    /** Per SLO (in id order) and per step bucket (in time order), the bucket's last status in [from, to). */
    private Map<String, TreeMap<Long, SloStatus>> lastPerBucket(Collection<String> sloIds, Instant from, Instant to,
                                                                Duration step) {
        long stepSeconds = step.toSeconds();
        Map<String, TreeMap<Long, SloStatus>> buckets = new TreeMap<>();
        statusesOf(sloIds).filter(status -> Times.inSeconds(status.at(), from, to))
                .forEach(status -> buckets.computeIfAbsent(status.sloId(), id -> new TreeMap<>())
                        .merge(Math.floorDiv(status.at().getEpochSecond(), stepSeconds), status, InMemorySloStore::later));
        return buckets;
    }

    private Stream<SloStatus> statusesOf(Collection<String> sloIds) {
        var wanted = new TreeSet<>(sloIds);
        return pipeline.statuses().stream().filter(status -> wanted.contains(status.sloId()));
    }

    private static SloStatus later(SloStatus kept, SloStatus added) {
        return added.at().getEpochSecond() > kept.at().getEpochSecond() ? added : kept;
    }

    private static SloSnapshot snapshot(SloStatus status) {
        var budget = status.budget();
        return new SloSnapshot(status.sloId(), orEmpty(status.team()), Times.second(status.at()),
                Times.second(status.windowStart()), Times.second(status.windowEnd()), status.sli(), status.objective(),
                budget.events().good(), budget.events().bad(), budget.remainingFraction(), budget.consumedFraction(),
                budget.timeToExhaustion() == null ? null : budget.timeToExhaustion().toSeconds(),
                burnRates(status.burnRates()), status.pageCondition(), status.ticketCondition(),
                status.budgetExhaustedCondition());
    }

    /** One rate per standard window, as the table's burn_* columns hold them. */
    private static Map<String, Double> burnRates(Map<String, Double> rates) {
        Map<String, Double> columns = new HashMap<>();
        for (Duration window : SloStatus.BURN_RATE_WINDOWS) {
            String name = DurationText.format(window);
            columns.put(name, finite(rates.get(name)));
        }
        return columns;
    }

    private static double finite(Double rate) {
        return rate == null || !Double.isFinite(rate) ? 0 : rate;
    }

    @Override
    public synchronized List<AlertRecord> alerts(AlertQuery query) {
        Stream<AlertTransition> events;
        if (query.activeOnly()) {
            long since = query.to().minus(ACTIVE_LOOKBACK).getEpochSecond();
            Map<String, AlertTransition> last = new LinkedHashMap<>();
            pipeline.alerts().stream().filter(alert -> alert.at().getEpochSecond() >= since)
                    .forEach(alert -> last.merge(alert.dedupKey(), alert,
                            (kept, added) -> added.at().toEpochMilli() > kept.at().toEpochMilli() ? added : kept));
            events = last.values().stream()
                    .filter(alert -> alert.to() == AlertStatus.PENDING || alert.to() == AlertStatus.FIRING);
        } else {
            events = pipeline.alerts().stream().filter(alert -> Times.inSeconds(alert.at(), query.from(), query.to()));
        }
        Map<String, Acknowledgement> acks = acksByAlert();
        return events.map(alert -> record(alert, acks))
                .filter(record -> query.sloId().map(record.sloId()::equals).orElse(true))
                .filter(record -> query.team().map(record.team()::equals).orElse(true))
                .filter(record -> query.alert().map(record.kind().label()::equals).orElse(true))
                .filter(record -> query.severity().map(lower(record.severity())::equals).orElse(true))
                .filter(record -> query.teams().isEmpty() || query.teams().contains(record.team()))
                .sorted(Comparator.comparing(AlertRecord::at).reversed()).limit(Math.max(0, query.limit())).toList();
    }

    /** The newest {@value #TRANSITIONS_READ} transitions of the alert, oldest first. */
    @Override
    public synchronized List<AlertRecord> transitions(String dedupKey) {
        Map<String, Acknowledgement> acks = acksByAlert();
        return pipeline.alerts().stream().filter(alert -> alert.dedupKey().equals(dedupKey))
                .map(alert -> record(alert, acks))
                .sorted(Comparator.comparing(AlertRecord::at).reversed()).limit(TRANSITIONS_READ).toList().reversed();
    }

    @Override
    public Optional<String> alertTeam(String dedupKey) {
        return pipeline.alerts().stream().filter(alert -> alert.dedupKey().equals(dedupKey))
                .map(alert -> orEmpty(alert.team())).findFirst();
    }

    /** The last acknowledgement of each alert, read once per query rather than once per transition. */
    private Map<String, Acknowledgement> acksByAlert() {
        return pipeline.acks().stream().collect(Collectors.toMap(Acknowledgement::dedupKey, ack -> ack));
    }

    private static AlertRecord record(AlertTransition alert, Map<String, Acknowledgement> acks) {
        Acknowledgement ack = acks.get(alert.dedupKey());
        boolean acked = ack != null && !ack.by().isEmpty();
        return new AlertRecord(alert.dedupKey(), alert.sloId(), orEmpty(alert.team()), alert.kind(),
                alert.severity(), alert.from(), alert.to(),
                Instant.ofEpochMilli(alert.at().toEpochMilli()), Times.second(alert.incidentStart()),
                orEmpty(alert.summary()), alert.rule(), alert.budgetRemainingFraction(), burnRates(alert.burnRates()),
                acked ? ack.by() : "", acked ? Times.second(ack.at()) : null);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}

package io.mcpslo.query.report;

import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.storage.report.ReportStore;
import io.mcpslo.engine.replay.SloReplay;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.Sli;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloTargetText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes a team's weekly report from the stored rollups, with the SLO engine's own math ({@link SloReplay}), and
 * the alert history: the same figures whether or not the processor evaluated the week live, and each time.
 */
public final class ReportBuilder {

    /** A version suffix of up to 9 digits fits an int; a longer run of digits is part of the name, not a version. */
    private static final Pattern VERSIONED = Pattern.compile("(.+)_v([0-9]{1,9})");

    /** A live alert and a replayed one of the same kind are the same incident when they overlap within this. */
    private static final Duration MATCH_SLACK = Duration.ofMinutes(5);

    private final ReportStore store;
    private final Clock clock;

    public ReportBuilder(ReportStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public WeeklyReport build(String team, String isoWeek, ZoneId zone, List<SloDefinition> allSlos) {
        LocalDate monday = IsoWeek.monday(isoWeek).orElseThrow(() -> new IllegalArgumentException("not an ISO week: "
                + isoWeek));
        Instant from = monday.atStartOfDay(zone).toInstant();
        Instant to = monday.plusWeeks(1).atStartOfDay(zone).toInstant();
        Instant previousFrom = monday.minusWeeks(1).atStartOfDay(zone).toInstant();
        List<SloDefinition> slos = allSlos.stream().filter(slo -> slo.team().equals(team)).toList();
        List<WeeklyReport.SloSection> sections = new ArrayList<>();
        for (SloDefinition slo : slos) {
            sections.add(section(slo, from, to, previousFrom, zone));
        }
        List<String> servers = slos.stream().map(slo -> slo.scope().server()).filter(Objects::nonNull).distinct().toList();
        boolean everyServer = slos.stream().anyMatch(slo -> slo.scope().server() == null);
        List<String> scope = everyServer ? List.of() : servers;
        List<ToolFailures> thisWeek = slos.isEmpty() ? List.of() : store.toolCalls(scope, from, to);
        List<ToolFailures> lastWeek = slos.isEmpty() ? List.of() : store.toolCalls(scope, previousFrom, from);
        List<ToolFailures> worst = thisWeek.stream().filter(tool -> tool.failures() > 0)
                .sorted(Comparator.comparingLong(ToolFailures::failures).reversed()
                        .thenComparing(ToolFailures::tool))
                .limit(5).toList();
        return new WeeklyReport(team, isoWeek, monday, zone, from, to, clock.instant(), sections, worst,
                migrations(thisWeek, lastWeek));
    }

    private WeeklyReport.SloSection section(SloDefinition slo, Instant from, Instant to, Instant previousFrom,
                                            ZoneId zone) {
        Map<Instant, RollupAggregate> minutes = store.minutes(slo.scope(), SloReplay.historyStart(slo, from), to,
                Sli.readsLatency(slo.sli()));
        SloReplay.Result replay = SloReplay.replay(slo, minutes, from, to);
        Map<LocalDate, EventCounts> days = new TreeMap<>();
        for (var minute : minutes.entrySet()) {
            if (!minute.getKey().isBefore(from) && minute.getKey().isBefore(to)) {
                days.merge(minute.getKey().atZone(zone).toLocalDate(), slo.sli().count(minute.getValue()),
                        EventCounts::plus);
            }
        }
        List<WeeklyReport.DailySli> daily = new ArrayList<>();
        for (LocalDate day = from.atZone(zone).toLocalDate(); day.isBefore(to.atZone(zone).toLocalDate()); day = day.plusDays(1)) {
            EventCounts counts = days.getOrDefault(day, EventCounts.NONE);
            daily.add(new WeeklyReport.DailySli(day, counts.good(), counts.bad()));
        }
        EventCounts week = replay.period();
        Double consumedWindow = replay.atEnd().budget().allowedBad() > 0
                ? replay.atEnd().budget().consumedFraction() : null;
        Map<String, Double> peaks = replay.peakBurnRates();
        return new WeeklyReport.SloSection(slo.id(), slo.description(), slo.sli().describe(), slo.objective().target(),
                SloTargetText.window(slo.window()), week.good(), week.bad(), replay.attainment(), replay.budgetConsumedInPeriod(),
                consumedWindow, peaks.get("1h"), peaks.get("6h"), peaks.get("1d"), alerts(slo.id(), replay, from, to),
                p95(store.latency(slo.scope(), from, to)), p95(store.latency(slo.scope(), previousFrom, from)), daily);
    }

    private static Double p95(SketchBins bins) {
        return bins.totalCount() == 0 ? null : bins.quantile(0.95);
    }

    /**
     * The alerts the history holds for the week, and those the replayed rules fire that no alert of the same kind
     * in the history overlaps (marked as not live: they would have fired).
     */
    private List<WeeklyReport.AlertSummary> alerts(String sloId, SloReplay.Result replay, Instant from, Instant to) {
        Map<String, Map<String, String>> fired = new LinkedHashMap<>();
        Map<String, Instant> resolved = new HashMap<>();
        for (Map<String, String> transition : store.alertTransitions(sloId, from, to)) {
            if (transition.get("to").equals("firing")) {
                fired.putIfAbsent(transition.get("dedup_key"), transition);
            } else if (transition.get("to").equals("resolved")) {
                resolved.put(transition.get("dedup_key"), Instant.parse(transition.get("at")));
            }
        }
        List<WeeklyReport.AlertSummary> alerts = new ArrayList<>();
        for (var entry : fired.entrySet()) {
            Instant firedAt = Instant.parse(entry.getValue().get("at"));
            Instant end = resolved.get(entry.getKey());
            alerts.add(new WeeklyReport.AlertSummary(entry.getValue().get("alert"), entry.getValue().get("severity"),
                    firedAt, end, Duration.between(firedAt, end == null ? to : end), true));
        }
        List<WeeklyReport.AlertSummary> live = List.copyOf(alerts);
        for (SloReplay.ReplayedAlert replayed : replay.alerts()) {
            Instant end = replayed.resolvedAt() == null ? to : replayed.resolvedAt();
            boolean sent = live.stream().anyMatch(alert -> alert.alert().equals(replayed.kind().label())
                    && alert.firedAt().isBefore(end.plus(MATCH_SLACK))
                    && (alert.resolvedAt() == null ? to : alert.resolvedAt()).plus(MATCH_SLACK)
                    .isAfter(replayed.firedAt()));
            if (!sent) {
                alerts.add(new WeeklyReport.AlertSummary(replayed.kind().label(),
                        replayed.severity().name().toLowerCase(Locale.ROOT), replayed.firedAt(), replayed.resolvedAt(),
                        Duration.between(replayed.firedAt(), end), false));
            }
        }
        alerts.sort(Comparator.comparing(WeeklyReport.AlertSummary::firedAt));
        return alerts;
    }

    /** Versioned tools (name_vN) with more than one version seen in either week, oldest version first. */
    static List<WeeklyReport.Migration> migrations(List<ToolFailures> thisWeek,
                                                   List<ToolFailures> lastWeek) {
        Map<String, Map<String, long[]>> families = new TreeMap<>();
        for (int week = 0; week < 2; week++) {
            for (ToolFailures tool : week == 0 ? thisWeek : lastWeek) {
                Matcher matcher = VERSIONED.matcher(tool.tool());
                if (matcher.matches()) {
                    families.computeIfAbsent(tool.server() + "\u001f" + matcher.group(1), key -> new TreeMap<>(
                                    Comparator.comparingInt(ReportBuilder::version).thenComparing(Comparator.naturalOrder())))
                            .computeIfAbsent(tool.tool(), key -> new long[2])[week] += tool.calls();
                }
            }
        }
        List<WeeklyReport.Migration> migrations = new ArrayList<>();
        for (var family : families.entrySet()) {
            if (family.getValue().size() < 2) {
                continue;
            }
            long total = family.getValue().values().stream().mapToLong(calls -> calls[0]).sum();
            long previousTotal = family.getValue().values().stream().mapToLong(calls -> calls[1]).sum();
            List<WeeklyReport.VersionShare> versions = new ArrayList<>();
            family.getValue().forEach((tool, calls) -> versions.add(new WeeklyReport.VersionShare(tool, calls[0],
                    total == 0 ? 0 : (double) calls[0] / total, previousTotal == 0 ? 0 : (double) calls[1] / previousTotal)));
            String[] key = family.getKey().split("\u001f");
            migrations.add(new WeeklyReport.Migration(key[0], key[1], versions));
        }
        return migrations;
    }

    private static int version(String tool) {
        Matcher matcher = VERSIONED.matcher(tool);
        return matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
    }
}

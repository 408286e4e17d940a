package io.mcpslo.query.report;

import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.query.store.SloSnapshot;
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
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Computes a team's weekly report from the rollups, the SLO snapshots and the alert history. */
public final class ReportBuilder {

    /** A version suffix of up to 9 digits fits an int; a longer run of digits is part of the name, not a version. */
    private static final Pattern VERSIONED = Pattern.compile("(.+)_v([0-9]{1,9})");

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
        List<WeeklyReport.ToolFailures> thisWeek = slos.isEmpty() ? List.of() : store.toolCalls(scope, from, to);
        List<WeeklyReport.ToolFailures> lastWeek = slos.isEmpty() ? List.of() : store.toolCalls(scope, previousFrom, from);
        List<WeeklyReport.ToolFailures> worst = thisWeek.stream().filter(tool -> tool.failures() > 0)
                .sorted(Comparator.comparingLong(WeeklyReport.ToolFailures::failures).reversed()
                        .thenComparing(WeeklyReport.ToolFailures::tool))
                .limit(5).toList();
        return new WeeklyReport(team, isoWeek, monday, zone, from, to, clock.instant(), sections, worst,
                migrations(thisWeek, lastWeek));
    }

    private WeeklyReport.SloSection section(SloDefinition slo, Instant from, Instant to, Instant previousFrom,
                                            ZoneId zone) {
        Map<Instant, RollupAggregate> minutes = store.minutes(slo.scope(), from, to);
        EventCounts week = EventCounts.NONE;
        SketchBins latency = SketchBins.EMPTY;
        Map<LocalDate, EventCounts> days = new TreeMap<>();
        for (var minute : minutes.entrySet()) {
            EventCounts counts = slo.sli().count(minute.getValue());
            week = week.plus(counts);
            latency = latency.plus(minute.getValue().latency());
            days.merge(minute.getKey().atZone(zone).toLocalDate(), counts, EventCounts::plus);
        }
        SketchBins previousLatency = SketchBins.EMPTY;
        for (RollupAggregate minute : store.minutes(slo.scope(), previousFrom, from).values()) {
            previousLatency = previousLatency.plus(minute.latency());
        }
        Double attainment = week.total() == 0 ? null : (double) week.good() / week.total();
        SloSnapshot atEnd = store.snapshotBefore(slo.id(), to).orElse(null);
        Double consumedThisWeek = null;
        Double consumedWindow = null;
        if (atEnd != null) {
            double allowed = slo.objective().errorBudget() * (atEnd.good() + atEnd.bad());
            consumedThisWeek = allowed > 0 ? week.bad() / allowed : null;
            consumedWindow = atEnd.budgetConsumed();
        }
        Map<String, Double> peaks = store.peakBurnRates(slo.id(), from, to);
        List<WeeklyReport.DailySli> daily = new ArrayList<>();
        for (LocalDate day = from.atZone(zone).toLocalDate(); day.isBefore(to.atZone(zone).toLocalDate()); day = day.plusDays(1)) {
            EventCounts counts = days.getOrDefault(day, EventCounts.NONE);
            daily.add(new WeeklyReport.DailySli(day, counts.good(), counts.bad()));
        }
        return new WeeklyReport.SloSection(slo.id(), slo.description(), slo.sli().describe(), slo.objective().target(),
                slo.window().describe(), week.good(), week.bad(), attainment, consumedThisWeek, consumedWindow,
                peaks.get("1h"), peaks.get("6h"), peaks.get("1d"), alerts(slo.id(), from, to),
                p95(latency), p95(previousLatency), daily);
    }

    private static Double p95(SketchBins bins) {
        return bins.totalCount() == 0 ? null : bins.quantile(0.95);
    }

    private List<WeeklyReport.AlertSummary> alerts(String sloId, Instant from, Instant to) {
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
                    firedAt, end, Duration.between(firedAt, end == null ? to : end)));
        }
        return alerts;
    }

    /** Versioned tools (name_vN) with more than one version seen in either week, oldest version first. */
    static List<WeeklyReport.Migration> migrations(List<WeeklyReport.ToolFailures> thisWeek,
                                                   List<WeeklyReport.ToolFailures> lastWeek) {
        Map<String, Map<String, long[]>> families = new TreeMap<>();
        for (int week = 0; week < 2; week++) {
            for (WeeklyReport.ToolFailures tool : week == 0 ? thisWeek : lastWeek) {
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

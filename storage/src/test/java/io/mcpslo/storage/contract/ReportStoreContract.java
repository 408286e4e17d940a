package io.mcpslo.storage.contract;

import static io.mcpslo.storage.contract.Seeds.HOSTILE;
import static io.mcpslo.storage.contract.Seeds.T0;
import static io.mcpslo.storage.contract.Seeds.latencies;
import static io.mcpslo.storage.contract.Seeds.minute;
import static io.mcpslo.storage.contract.Seeds.ok;
import static io.mcpslo.storage.contract.Seeds.rollup;
import static io.mcpslo.storage.contract.Seeds.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.storage.report.ReportStore.StoredReport;
import io.mcpslo.storage.report.ToolFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link io.mcpslo.storage.report.ReportStore} answers: a report's inputs and the reports kept. */
public abstract class ReportStoreContract extends StoreContract {

    private final CallRollup searchEarly = rollup("github", "search", "1.0", minute(0), 3, 0, 1, 12);
    private final CallRollup searchLatest = rollup("github", "search", "1.0", minute(0), ok(40), latencies(1, 40));
    private final CallRollup searchV2 = rollup("github", "search", "2.0", minute(1), 5, 2, 3, 300);
    private final CallRollup get = rollup("github", "get", "1.0", minute(0), 7, 1, 0, 0);
    private final CallRollup jira = rollup("jira", "search", "1.0", minute(1), 2, 0, 2, 50);
    private final CallRollup afterTheRange = rollup("github", "search", "1.0", minute(2), 9, 9, 9, 9);

    private void writeRollups() {
        storage.pipeline().writeRollups(List.of(searchEarly, searchLatest, get, searchV2, jira, afterTheRange));
        storage.pipeline().writeRollups(List.of(searchLatest, searchEarly)); // replayed, the older revision last
    }

    @Test
    public void minutesSumTheLatestRevisionOfEachRollupInScope() {
        writeRollups();

        Map<Instant, RollupAggregate> minutes = storage.reports().minutes(new SloScope("github", null, null),
                minute(0), minute(2), true);

        assertEquals(List.of(minute(0), minute(1)), List.copyOf(minutes.keySet()), "in time order, the end excluded");
        assertEquals(RollupAggregate.of(searchLatest).plus(RollupAggregate.of(get)), minutes.get(minute(0)));
        assertEquals(RollupAggregate.of(searchV2), minutes.get(minute(1)));
        var countsOnly = storage.reports().minutes(new SloScope("github", "search", "1.0"), minute(0), minute(2), false);
        assertEquals(new RollupAggregate(searchLatest.counts(), SketchBins.EMPTY), countsOnly.get(minute(0)),
                "no bins when not asked for");
        assertEquals(Map.of(), storage.reports().minutes(new SloScope(HOSTILE, null, null), minute(0), minute(2), true));
    }

    @Test
    public void latencyMergesTheBinsOfEveryCallOfTheScopeInTheRange() {
        writeRollups();

        assertEquals(searchLatest.latency().plus(searchV2.latency()),
                storage.reports().latency(new SloScope("github", "search", null), minute(0), minute(2)));
        assertEquals(get.latency(), storage.reports().latency(new SloScope(null, "get", null), minute(0), minute(2)));
        assertEquals(8, storage.reports().latency(new SloScope(null, "get", null), minute(0), minute(2)).zeroCount(),
                "zero latencies are kept");
        assertEquals(SketchBins.EMPTY, storage.reports().latency(new SloScope(HOSTILE, HOSTILE, null), minute(0),
                minute(2)));
    }

    @Test
    public void toolCallsCountEachServerAndToolOverAllVersionsInNameOrder() {
        writeRollups();

        assertEquals(List.of(new ToolFailures("github", "get", 8, 1, 0), new ToolFailures("github", "search", 50, 2, 3),
                new ToolFailures("jira", "search", 4, 0, 2)), storage.reports().toolCalls(List.of(), minute(0), minute(2)),
                "no servers named: every server");
        assertEquals(List.of(new ToolFailures("jira", "search", 4, 0, 2)),
                storage.reports().toolCalls(List.of("jira", "absent"), minute(0), minute(2)));
        assertEquals(List.of(), storage.reports().toolCalls(List.of(HOSTILE), minute(0), minute(2)));
    }

    @Test
    public void alertTransitionsOfAnSloInTheRangeOldestFirst() {
        Instant t = T0.plusSeconds(60);
        var firing = transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING,
                t.plusMillis(500), t, "k1");
        var resolved = transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.FIRING, AlertStatus.RESOLVED,
                t.plusSeconds(600), t, "k1");
        var ticket = transition("checkout", "team-x", AlertKind.BUDGET_EXHAUSTED, AlertStatus.PENDING,
                AlertStatus.FIRING, t.plusSeconds(30), t, "k2");
        storage.pipeline().writeAlerts(List.of(resolved, firing, ticket,
                transition("other", "team-x", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING, t, t, "k3"),
                transition("checkout", "team-x", AlertKind.PAGE, AlertStatus.PENDING, AlertStatus.FIRING,
                        t.plus(Duration.ofDays(8)), t, "k4")));
        storage.pipeline().writeAlerts(List.of(firing));

        assertEquals(List.of(
                Map.of("dedup_key", "k1", "alert", "page", "severity", "page", "to", "firing",
                        "at", "2026-11-25T00:01:00.500Z"),
                Map.of("dedup_key", "k2", "alert", "budget-exhausted", "severity", "ticket", "to", "firing",
                        "at", "2026-11-25T00:01:30Z"),
                Map.of("dedup_key", "k1", "alert", "page", "severity", "page", "to", "resolved",
                        "at", "2026-11-25T00:11:00Z")),
                storage.reports().alertTransitions("checkout", T0, T0.plus(Duration.ofDays(7))));
        assertEquals(List.of(), storage.reports().alertTransitions(HOSTILE, T0, T0.plus(Duration.ofDays(7))));
    }

    @Test
    public void reportsAreKeptOncePerTeamWeekAndFormatTheLatestGeneratedWinning() {
        String body = "# Week 47\n'quoted' \\ \"double\" é 🚀\n<script>alert(1)</script>";
        Instant generated = T0.plusMillis(1_250);
        storage.reports().save(new StoredReport("team-x", "2026-W47", "md", generated, "first draft"));
        storage.reports().save(new StoredReport("team-x", "2026-W47", "md", generated.plusSeconds(60), body));
        storage.reports().save(new StoredReport("team-x", "2026-W47", "md", generated.minusSeconds(60), "stale"));
        storage.reports().save(new StoredReport("team-x", "2026-W47", "html", generated, "<p>47</p>"));
        storage.reports().save(new StoredReport("team-y", "2026-W48", "md", generated, "y48"));
        storage.reports().save(new StoredReport("team-x", "2026-W48", "md", generated, "x48"));

        assertEquals(Optional.of(new StoredReport("team-x", "2026-W47", "md", T0.plusSeconds(61), body)),
                storage.reports().find("team-x", "2026-W47", "md"), "the latest generated, its time to the second");
        assertEquals(Optional.empty(), storage.reports().find("team-x", "2026-W46", "md"));
        assertEquals(Optional.empty(), storage.reports().find("team-x' OR '1'='1", "2026-W47", "md"));

        List<StoredReport> listed = storage.reports().list(List.of(), 10);
        assertEquals(List.of("2026-W48 team-x md", "2026-W48 team-y md", "2026-W47 team-x html", "2026-W47 team-x md"),
                listed.stream().map(r -> r.isoWeek() + " " + r.team() + " " + r.format()).toList(),
                "newest week first, then team and format");
        assertNull(listed.get(0).body(), "a listing carries no bodies");
        assertEquals(List.of("2026-W48 team-x md", "2026-W47 team-x html"), storage.reports()
                .list(List.of("team-x"), 2).stream().map(r -> r.isoWeek() + " " + r.team() + " " + r.format()).toList());
        assertEquals(List.of(), storage.reports().list(List.of(HOSTILE), 10));
        assertEquals(Set.of(), Set.copyOf(storage.reports().list(List.of("team-z"), 10)));
    }
}

package io.mcpslo.query.report;

import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.query.store.SloSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a weekly report reads, and where reports are kept. */
public interface ReportStore {

    /** The rollups of a scope summed per minute in [from, to), keyed by the minute's start. */
    Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to);

    /** The last status snapshot of an SLO before {@code at}. */
    Optional<SloSnapshot> snapshotBefore(String sloId, Instant at);

    /** The highest burn rate per window name ("1h", "6h", "1d") among the SLO's snapshots in [from, to). */
    Map<String, Double> peakBurnRates(String sloId, Instant from, Instant to);

    /** Calls and failures per (server, tool) of the given servers in [from, to). */
    List<WeeklyReport.ToolFailures> toolCalls(List<String> servers, Instant from, Instant to);

    /** Firing and resolving transitions of an SLO in [from, to), oldest first: {alert, severity, to, at, dedup}. */
    List<Map<String, String>> alertTransitions(String sloId, Instant from, Instant to);

    void save(StoredReport report);

    List<StoredReport> list(List<String> teams, int limit);

    Optional<StoredReport> find(String team, String isoWeek, String format);

    /** A rendered report as kept: the team, the ISO week, the format (md or html) and the body. */
    record StoredReport(String team, String isoWeek, String format, Instant generatedAt, String body) {
    }
}

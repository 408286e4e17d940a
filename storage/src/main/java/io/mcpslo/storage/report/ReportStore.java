package io.mcpslo.storage.report;

import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.SloScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a weekly report reads, and where reports are kept. */
public interface ReportStore {

    /**
     * The rollups of a scope summed per minute in [from, to), keyed by the minute's start, read as the stream
     * processor reads an SLO's history (the latest revision of each rollup); latency bins only when asked for.
     */
    Map<Instant, RollupAggregate> minutes(SloScope scope, Instant from, Instant to, boolean withLatency);

    /** The latency bins of every call of a scope in [from, to), merged. */
    SketchBins latency(SloScope scope, Instant from, Instant to);

    /** Calls and failures per (server, tool) of the given servers in [from, to). */
    List<ToolFailures> toolCalls(List<String> servers, Instant from, Instant to);

    /** Firing and resolving transitions of an SLO in [from, to), oldest first: {alert, severity, to, at, dedup}. */
    List<Map<String, String>> alertTransitions(String sloId, Instant from, Instant to);

    void save(StoredReport report);

    List<StoredReport> list(List<String> teams, int limit);

    Optional<StoredReport> find(String team, String isoWeek, String format);

    /** A rendered report as kept: the team, the ISO week, the format (md or html) and the body. */
    record StoredReport(String team, String isoWeek, String format, Instant generatedAt, String body) {
    }
}

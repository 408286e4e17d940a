package io.mcpslo.storage.memory;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.storage.audit.AuditStore.ExportFormat;
import io.mcpslo.storage.calls.BadCalls;
import io.mcpslo.storage.calls.CallCursor;
import io.mcpslo.storage.calls.CallFilter;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.storage.calls.LedgerGroup;
import io.mcpslo.storage.calls.LedgerQuery;
import io.mcpslo.storage.calls.LedgerTotals;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Calls read from {@link InMemoryPipelineStore}, answering as ClickHouseCallStore does: each call once (by event id),
 * newest first by (ts_ms, event id) in ClickHouse's id order, the same row shapes, the same export text, and the same
 * ledger (a timeslice minute's percentile is the exact one at index floor(p·n) of its sorted latencies, as
 * quantileExact). Reads scan every call: this store is for tests and trials, not for volume.
 */
final class InMemoryCallStore implements CallStore {

    private static final List<String> TEXT_COLUMNS = List.of("source", "server", "server_version", "tool", "method",
            "protocol_version", "session_id", "user", "team", "trace_id", "span_id", "error_type");
    private static final List<String> EXPORT_COLUMNS = exportColumns();
    private static final Comparator<CallEvent> OLDEST_FIRST = Comparator
            .<CallEvent>comparingLong(call -> call.envelope().ts().toEpochMilli())
            .thenComparing(call -> call.envelope().eventId(), ExportText.UUIDS);
    /** Ledger dimension → the text it groups by ("" for none, read back as null). */
    private static final Map<String, Function<CallEvent, String>> DIMENSIONS = Map.of(
            "tool", call -> text(call, "tool"), "version", call -> text(call, "server_version"),
            "error_code", call -> call.errorCode() == null ? "" : call.errorCode().toString(),
            "error_type", call -> text(call, "error_type"), "source", call -> text(call, "source"),
            "user", call -> text(call, "user"), "session", call -> text(call, "session_id"));

    private final InMemoryPipelineStore pipeline;

    InMemoryCallStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    private static List<String> exportColumns() {
        List<String> columns = new ArrayList<>(List.of("time_utc", "event_id", "ts_ms"));
        columns.addAll(TEXT_COLUMNS);
        columns.addAll(List.of("duration_ms", "outcome", "error_code", "retry", "response_bytes"));
        return List.copyOf(columns);
    }

    /** Every call once: a replay's second row (another server or tool under the same id) is not another call. */
    private List<CallEvent> calls() {
        Map<Object, CallEvent> once = new LinkedHashMap<>();
        for (CallEvent call : pipeline.calls()) {
            once.putIfAbsent(call.envelope().eventId(), call);
        }
        return List.copyOf(once.values());
    }

    private List<CallEvent> matching(CallFilter filter, Comparator<CallEvent> order) {
        return calls().stream().filter(call -> matches(filter, call)).sorted(order).toList();
    }

    private static boolean matches(CallFilter filter, CallEvent call) {
        long tsMs = call.envelope().ts().toEpochMilli();
        return tsMs >= filter.from().toEpochMilli() && tsMs < filter.to().toEpochMilli()
                && filter.equals().entrySet().stream().allMatch(e -> text(call, e.getKey()).equals(e.getValue()))
                && (filter.outcomes().isEmpty() || filter.outcomes().contains(call.outcome()))
                && filter.errorCode().map(code -> code.equals(call.errorCode())).orElse(true)
                && filter.minMs().map(ms -> call.durationMs() >= ms).orElse(true)
                && filter.visibleServers().map(servers -> servers.contains(call.envelope().server())).orElse(true);
    }

    /** A text column as stored: an absent value is "". */
    private static String text(CallEvent call, String column) {
        EventEnvelope envelope = call.envelope();
        String value = switch (column) {
            case "source" -> envelope.source();
            case "server" -> envelope.server();
            case "server_version" -> envelope.serverVersion();
            case "tool" -> envelope.tool();
            case "method" -> envelope.method();
            case "protocol_version" -> envelope.protocolVersion();
            case "session_id" -> envelope.sessionId();
            case "user" -> envelope.user();
            case "team" -> envelope.team();
            case "trace_id" -> envelope.traceId();
            case "span_id" -> envelope.spanId();
            case "error_type" -> call.errorType();
            default -> throw new IllegalArgumentException("not a text column: " + column);
        };
        return Objects.requireNonNullElse(value, "");
    }

    private static Map<String, Object> row(CallEvent call) {
        Map<String, Object> row = new LinkedHashMap<>();
        long tsMs = call.envelope().ts().toEpochMilli();
        row.put("event_id", call.envelope().eventId().toString());
        row.put("ts", Instant.ofEpochMilli(tsMs).toString());
        row.put("ts_ms", tsMs);
        for (String column : TEXT_COLUMNS) {
            row.put(column, text(call, column));
        }
        row.put("duration_ms", call.durationMs());
        row.put("outcome", call.outcome().wireName());
        row.put("error_code", call.errorCode());
        row.put("retry", call.retry() == null ? 0 : call.retry());
        row.put("response_bytes", call.responseBytes());
        return row;
    }

    @Override
    public List<Map<String, Object>> page(CallFilter filter, Optional<CallCursor> after, int limit) {
        return matching(filter, OLDEST_FIRST.reversed()).stream().filter(call -> after.map(cursor -> olderThan(call,
                cursor)).orElse(true)).limit(limit).map(InMemoryCallStore::row).toList();
    }

    private static boolean olderThan(CallEvent call, CallCursor cursor) {
        long tsMs = call.envelope().ts().toEpochMilli();
        return tsMs < cursor.tsMs()
                || tsMs == cursor.tsMs() && ExportText.UUIDS.compare(call.envelope().eventId(), cursor.eventId()) < 0;
    }

    @Override
    public List<Map<String, Object>> oldestFirst(CallFilter filter, int limit) {
        return matching(filter, OLDEST_FIRST).stream().limit(limit).map(InMemoryCallStore::row).toList();
    }

    @Override
    public long count(CallFilter filter) {
        return calls().stream().filter(call -> matches(filter, call)).count();
    }

    @Override
    public InputStream export(CallFilter filter, ExportFormat format) {
        StringBuilder out = new StringBuilder();
        if (format == ExportFormat.CSV) {
            out.append(ExportText.csvHeader(EXPORT_COLUMNS)).append('\n');
        }
        for (CallEvent call : matching(filter, OLDEST_FIRST.reversed())) {
            out.append(format == ExportFormat.CSV ? csvLine(call) : jsonLine(call));
        }
        return ExportText.stream(out);
    }

    private static String csvLine(CallEvent call) {
        List<String> cells = new ArrayList<>();
        cells.add(ExportText.csv(ExportText.dateTime(call.envelope().ts().toEpochMilli())));
        cells.add(ExportText.csv(call.envelope().eventId().toString()));
        cells.add(Long.toString(call.envelope().ts().toEpochMilli()));
        for (String column : TEXT_COLUMNS) {
            cells.add(ExportText.csvNeutralised(text(call, column)));
        }
        cells.add(ExportText.number(call.durationMs()));
        cells.add(ExportText.csv(call.outcome().wireName()));
        cells.add(ExportText.csvOrNull(call.errorCode()));
        cells.add(Integer.toString(call.retry() == null ? 0 : call.retry()));
        cells.add(ExportText.csvOrNull(call.responseBytes()));
        return String.join(",", cells) + "\n";
    }

    private static String jsonLine(CallEvent call) {
        List<String> values = new ArrayList<>();
        values.add(ExportText.json(ExportText.dateTime(call.envelope().ts().toEpochMilli())));
        values.add(ExportText.json(call.envelope().eventId().toString()));
        values.add(Long.toString(call.envelope().ts().toEpochMilli()));
        for (String column : TEXT_COLUMNS) {
            values.add(ExportText.json(text(call, column)));
        }
        values.add(ExportText.number(call.durationMs()));
        values.add(ExportText.json(call.outcome().wireName()));
        values.add(call.errorCode() == null ? "null" : call.errorCode().toString());
        values.add(Integer.toString(call.retry() == null ? 0 : call.retry()));
        values.add(call.responseBytes() == null ? "null" : call.responseBytes().toString());
        return ExportText.jsonLine(EXPORT_COLUMNS, values);
    }

    // ---- the ledger ----

    /** The calls the SLO counts in the range; a call without a tool is scoped under its method, as rolled up. */
    private List<CallEvent> counted(LedgerQuery query) {
        SloScope scope = query.scope();
        return calls().stream().filter(call -> {
            long tsMs = call.envelope().ts().toEpochMilli();
            String tool = text(call, "tool").isEmpty() ? text(call, "method") : text(call, "tool");
            return tsMs >= query.from().toEpochMilli() && tsMs < query.to().toEpochMilli()
                    && (scope.server() == null || scope.server().equals(call.envelope().server()))
                    && (scope.tool() == null || scope.tool().equals(tool))
                    && (scope.serverVersion() == null || scope.serverVersion().equals(text(call, "server_version")))
                    && query.rule().valid().contains(call.outcome());
        }).toList();
    }

    private static boolean bad(BadCalls rule, CallEvent call) {
        return rule.bad().contains(call.outcome()) || rule.overMs().map(ms -> call.durationMs() > ms).orElse(false);
    }

    private static long minuteOf(CallEvent call) {
        long tsMs = call.envelope().ts().toEpochMilli();
        return Math.floorDiv(tsMs, 60_000L);
    }

    /** Each bad minute of the range → how many bad calls it holds. */
    private static Map<Long, Long> badMinutes(BadCalls rule, List<CallEvent> counted) {
        BadCalls.BadMinute badMinute = rule.badMinute().orElseThrow();
        Map<Long, List<CallEvent>> byMinute = counted.stream().collect(Collectors.groupingBy(
                InMemoryCallStore::minuteOf, TreeMap::new, Collectors.toList()));
        Map<Long, Long> bad = new TreeMap<>();
        byMinute.forEach((minute, calls) -> {
            long badCalls = calls.stream().filter(call -> bad(rule, call)).count();
            boolean isBad = switch (badMinute) {
                case BadCalls.GoodShareBelow slice -> (double) (calls.size() - badCalls) / calls.size()
                        < slice.sliceTarget();
                case BadCalls.PercentileOver percentile -> exactQuantile(calls, percentile.percentile())
                        > percentile.thresholdMs();
            };
            if (isBad) {
                bad.put(minute, badCalls);
            }
        });
        return bad;
    }

    /** quantileExact: the value at index floor(level · n) of the sorted values (the last for level 1). */
    private static double exactQuantile(List<CallEvent> calls, double level) {
        double[] sorted = calls.stream().mapToDouble(CallEvent::durationMs).sorted().toArray();
        int index = level < 1 ? (int) (level * sorted.length) : sorted.length - 1;
        return sorted[Math.min(index, sorted.length - 1)];
    }

    @Override
    public LedgerTotals ledgerTotals(LedgerQuery query) {
        List<CallEvent> counted = counted(query);
        List<CallEvent> bad = counted.stream().filter(call -> bad(query.rule(), call)).toList();
        Optional<Instant> first = bad.stream().map(call -> call.envelope().ts()).min(Comparator.naturalOrder());
        Optional<Instant> last = bad.stream().map(call -> call.envelope().ts()).max(Comparator.naturalOrder());
        long countedMinutes = 0;
        long badMinutes = 0;
        if (!query.rule().perCall()) {
            countedMinutes = counted.stream().map(InMemoryCallStore::minuteOf).distinct().count();
            badMinutes = badMinutes(query.rule(), counted).size();
        }
        return new LedgerTotals(counted.size(), bad.size(), first.map(InMemoryCallStore::millis),
                last.map(InMemoryCallStore::millis), countedMinutes, badMinutes);
    }

    private static Instant millis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }

    @Override
    public List<LedgerGroup> ledgerGroups(LedgerQuery query, int perDimension) {
        List<CallEvent> counted = counted(query);
        Map<Long, Long> badMinutes = query.rule().perCall() ? Map.of() : badMinutes(query.rule(), counted);
        List<CallEvent> bad = counted.stream().filter(call -> bad(query.rule(), call)).toList();
        List<LedgerGroup> groups = new ArrayList<>();
        for (String dimension : LedgerGroup.DIMENSIONS.stream().sorted().toList()) {
            Map<String, Group> byValue = new LinkedHashMap<>();
            for (CallEvent call : bad) {
                byValue.computeIfAbsent(DIMENSIONS.get(dimension).apply(call), value -> new Group())
                        .add(call, badMinutes.getOrDefault(minuteOf(call), 0L));
            }
            byValue.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Group>>comparingDouble(e -> -e.getValue().share)
                            .thenComparing(e -> -e.getValue().badCalls)
                            .thenComparing(Map.Entry::getKey, ExportText.BYTES))
                    .limit(perDimension)
                    .forEach(e -> groups.add(e.getValue().toGroup(dimension, e.getKey())));
        }
        return groups;
    }

    /** The bad calls of one value of a dimension, and their part of the bad minutes. */
    private static final class Group {
        private long badCalls;
        private long firstMs = Long.MAX_VALUE;
        private long lastMs = Long.MIN_VALUE;
        private final Set<Long> badMinutes = new HashSet<>();
        private double share;

        /** {@code minuteBadCalls}: the bad calls of the call's minute when it is a bad one, else 0. */
        void add(CallEvent call, long minuteBadCalls) {
            long tsMs = call.envelope().ts().toEpochMilli();
            badCalls++;
            firstMs = Math.min(firstMs, tsMs);
            lastMs = Math.max(lastMs, tsMs);
            if (minuteBadCalls > 0) {
                badMinutes.add(minuteOf(call));
                share += 1.0 / minuteBadCalls;
            }
        }

        LedgerGroup toGroup(String dimension, String value) {
            return new LedgerGroup(dimension, value.isEmpty() ? null : value, badCalls, Instant.ofEpochMilli(firstMs),
                    Instant.ofEpochMilli(lastMs), badMinutes.size(), share);
        }
    }

    // ---- rolled-up calls ----

    private List<CallRollup> rollups(SloScope scope, Instant from, Instant to) {
        return pipeline.rollups().stream().filter(rollup -> scope.matches(rollup.key())
                && Times.inSeconds(rollup.windowStart(), from, to)).toList();
    }

    private static long counted(CallRollup rollup, Set<Outcome> counted) {
        return counted.stream().mapToLong(outcome -> rollup.counts().count(outcome)).sum();
    }

    @Override
    public long rolledUpCalls(SloScope scope, Set<Outcome> counted, Instant from, Instant to) {
        return rollups(scope, from, to).stream().mapToLong(rollup -> counted(rollup, counted)).sum();
    }

    @Override
    public long rolledUpMinutes(SloScope scope, Set<Outcome> counted, Instant from, Instant to) {
        return rollups(scope, from, to).stream().filter(rollup -> counted(rollup, counted) > 0)
                .map(CallRollup::windowStart).distinct().count();
    }
}

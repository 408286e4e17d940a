package io.mcpslo.storage.memory;

import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.storage.audit.AuditCursor;
import io.mcpslo.storage.audit.AuditFilter;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.audit.StoredLink;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The audit log read from {@link InMemoryPipelineStore}, answering as ClickHouseAuditStore does: rows newest first by
 * (ts_ms, event id, chain partition, chain seq), the same row shapes and export text, links chain by chain in chain
 * order, digests to the second.
 */
final class InMemoryAuditStore implements AuditStore {

    private static final List<String> EXPORT_COLUMNS = exportColumns();
    private static final Comparator<Row> NEWEST_FIRST = Comparator.<Row>comparingLong(Row::tsMs)
            .thenComparing(Row::eventId, ExportText.BYTES)
            .thenComparingInt(Row::partition)
            .thenComparingLong(Row::seq)
            .reversed();

    private final InMemoryPipelineStore pipeline;

    InMemoryAuditStore(InMemoryPipelineStore pipeline) {
        this.pipeline = pipeline;
    }

    private static List<String> exportColumns() {
        List<String> columns = new ArrayList<>(List.of("time_utc"));
        columns.addAll(AuditChain.TEXT_FIELDS);
        columns.addAll(List.of("ts_ms", "chain_partition", "chain_seq", "prev_hash", "hash"));
        return List.copyOf(columns);
    }

    /** One audit log row as stored: the hashed texts, the event time, the link and when it was chained. */
    private record Row(Map<String, String> text, long tsMs, int partition, long seq, String prevHash, String hash,
                       Instant chainedAt) {

        static Row of(ChainedAudit chained) {
            return new Row(AuditChain.textFields(chained.event()), chained.event().envelope().ts().toEpochMilli(),
                    chained.link().partition(), chained.link().seq(), chained.link().prevHash(), chained.link().hash(),
                    chained.chainedAt());
        }

        String eventId() {
            return text.get("event_id");
        }

        boolean olderThan(AuditCursor cursor) {
            int byTime = Long.compare(tsMs, cursor.tsMs());
            int byId = ExportText.BYTES.compare(eventId(), cursor.eventId());
            int byPartition = Long.compare(partition, cursor.partition());
            return byTime < 0 || byTime == 0 && (byId < 0 || byId == 0 && (byPartition < 0
                    || byPartition == 0 && seq < cursor.seq()));
        }

        Map<String, Object> toMap() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ts", Instant.ofEpochMilli(tsMs).toString());
            for (String field : AuditChain.TEXT_FIELDS) {
                row.put(field, text.get(field));
            }
            row.put("ts_ms", tsMs);
            row.put("chain_partition", partition);
            row.put("chain_seq", seq);
            row.put("hash", hash);
            return row;
        }

        StoredLink toLink() {
            return new StoredLink(text, tsMs, partition, seq, prevHash, hash);
        }
    }

    private List<Row> rows() {
        return pipeline.auditLog().stream().map(Row::of).toList();
    }

    private static boolean inRange(Row row, Instant from, Instant to) {
        return row.tsMs() >= from.toEpochMilli() && row.tsMs() < to.toEpochMilli();
    }

    private List<Row> matching(AuditFilter filter) {
        return rows().stream().filter(row -> inRange(row, filter.from(), filter.to())
                        && filter.equals().entrySet().stream().allMatch(e -> e.getValue().equals(row.text().get(e.getKey()))))
                .sorted(NEWEST_FIRST).toList();
    }

    @Override
    public List<Map<String, Object>> page(AuditFilter filter, Optional<AuditCursor> after, int limit) {
        return matching(filter).stream().filter(row -> after.map(row::olderThan).orElse(true)).limit(limit)
                .map(Row::toMap).toList();
    }

    @Override
    public long count(AuditFilter filter) {
        return matching(filter).size();
    }

    @Override
    public List<Map<String, Object>> breakGlass(Instant from, Instant to, int limit) {
        return rows().stream().filter(row -> inRange(row, from, to)
                        && AuditEvent.BREAK_GLASS_ACTIONS.contains(row.text().get("action")))
                .sorted(NEWEST_FIRST).limit(limit).map(Row::toMap).toList();
    }

    @Override
    public InputStream export(AuditFilter filter, ExportFormat format) {
        StringBuilder out = new StringBuilder();
        if (format == ExportFormat.CSV) {
            out.append(ExportText.csvHeader(EXPORT_COLUMNS)).append('\n');
        }
        for (Row row : matching(filter)) {
            out.append(format == ExportFormat.CSV ? csvLine(row) : jsonLine(row));
        }
        return ExportText.stream(out);
    }

    private static String csvLine(Row row) {
        List<String> cells = new ArrayList<>();
        cells.add(ExportText.csv(ExportText.dateTime(row.tsMs())));
        for (String field : AuditChain.TEXT_FIELDS) {
            cells.add(ExportText.csvNeutralised(row.text().get(field)));
        }
        cells.add(Long.toString(row.tsMs()));
        cells.add(Integer.toString(row.partition()));
        cells.add(Long.toString(row.seq()));
        cells.add(ExportText.csv(row.prevHash()));
        cells.add(ExportText.csv(row.hash()));
        return String.join(",", cells) + "\n";
    }

    private static String jsonLine(Row row) {
        List<String> values = new ArrayList<>();
        values.add(ExportText.json(ExportText.dateTime(row.tsMs())));
        for (String field : AuditChain.TEXT_FIELDS) {
            values.add(ExportText.json(row.text().get(field)));
        }
        values.add(Long.toString(row.tsMs()));
        values.add(Integer.toString(row.partition()));
        values.add(Long.toString(row.seq()));
        values.add(ExportText.json(row.prevHash()));
        values.add(ExportText.json(row.hash()));
        return ExportText.jsonLine(EXPORT_COLUMNS, values);
    }

    @Override
    public void links(Instant from, Instant to, Consumer<StoredLink> sink) {
        rows().stream().filter(row -> Times.inSeconds(row.chainedAt(), from, to))
                .sorted(Comparator.comparingInt(Row::partition).thenComparingLong(Row::seq))
                .forEach(row -> sink.accept(row.toLink()));
    }

    @Override
    public Optional<StoredLink> link(int partition, long seq) {
        return rows().stream().filter(row -> row.partition() == partition && row.seq() == seq).findFirst()
                .map(Row::toLink);
    }

    @Override
    public List<AuditDigest> digests(Instant from, Instant to) {
        return pipeline.digests().stream().filter(digest -> Times.inSeconds(digest.at(), from, to))
                .sorted(Comparator.comparingInt(AuditDigest::partition).thenComparingLong(AuditDigest::seq))
                .map(digest -> new AuditDigest(digest.partition(), digest.seq(), digest.hash(), digest.hmac(),
                        Times.second(digest.at())))
                .toList();
    }
}

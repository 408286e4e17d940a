package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.audit.AuditCursor;
import io.mcpslo.storage.audit.AuditFilter;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.audit.StoredLink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.CsvCells;
import io.mcpslo.clickhouse.Keyset;
import io.mcpslo.clickhouse.SqlLiteral;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The audit log in ClickHouse; every value from a caller enters SQL as an escaped literal. */
public final class ClickHouseAuditStore implements AuditStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = String.join(", ", AuditChain.TEXT_FIELDS)
            + ", ts_ms, chain_partition, chain_seq, prev_hash, hash";
    /** The CSV columns, text cells neutralised against spreadsheet formulas; NDJSON keeps the values as they are. */
    private static final String CSV_COLUMNS = String.join(", ", AuditChain.TEXT_FIELDS.stream()
            .map(CsvCells::neutralised).toList()) + ", ts_ms, chain_partition, chain_seq, prev_hash, hash";

    private final ClickHouseClient client;

    public ClickHouseAuditStore(ClickHouseClient client) {
        this.client = client;
    }

    /** The by-resource copy serves filters on server or tool without an actor; the main table the rest. */
    private String table(AuditFilter filter) {
        boolean byResource = !filter.equals().containsKey("actor")
                && (filter.equals().containsKey("server") || filter.equals().containsKey("tool"));
        return client.database() + "." + (byResource ? "audit_log_by_resource" : "audit_log");
    }

    private static String where(AuditFilter filter) {
        StringBuilder where = new StringBuilder(" WHERE ts >= toDateTime(" + filter.from().getEpochSecond()
                + ") AND ts <= toDateTime(" + filter.to().getEpochSecond() + ") AND ts_ms >= "
                + filter.from().toEpochMilli() + " AND ts_ms < " + filter.to().toEpochMilli());
        filter.equals().forEach((column, value) -> where.append(" AND ").append(SqlLiteral.identifier(column))
                .append(" = ").append(SqlLiteral.string(value)));
        return where.toString();
    }

    @Override
    public List<Map<String, Object>> page(AuditFilter filter, Optional<AuditCursor> after, int limit) {
        String keyset = after.map(c -> " AND " + Keyset.olderThan(List.of("ts_ms", "event_id", "chain_partition",
                "chain_seq"), List.of(Long.toString(c.tsMs()), SqlLiteral.string(c.eventId()),
                Long.toString(c.partition()), Long.toString(c.seq())))).orElse("");
        String sql = "SELECT " + COLUMNS + " FROM " + table(filter) + " FINAL" + where(filter) + keyset
                + " ORDER BY ts_ms DESC, event_id DESC, chain_partition DESC, chain_seq DESC LIMIT " + limit;
        return rows(client.query(sql));
    }

    private static List<Map<String, Object>> rows(List<JsonNode> result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : result) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ts", Instant.ofEpochMilli(row.get("ts_ms").asLong()).toString());
            for (String field : AuditChain.TEXT_FIELDS) {
                out.put(field, row.get(field).asText());
            }
            out.put("ts_ms", row.get("ts_ms").asLong());
            out.put("chain_partition", row.get("chain_partition").asInt());
            out.put("chain_seq", row.get("chain_seq").asLong());
            out.put("hash", row.get("hash").asText());
            rows.add(out);
        }
        return rows;
    }

    @Override
    public List<Map<String, Object>> breakGlass(Instant from, Instant to, int limit) {
        String actions = String.join(", ", AuditEvent.BREAK_GLASS_ACTIONS.stream().sorted().map(SqlLiteral::string).toList());
        return rows(client.query("SELECT " + COLUMNS + " FROM " + client.database() + ".audit_log FINAL"
                + where(new AuditFilter(Map.of(), from, to)) + " AND action IN (" + actions + ")"
                + " ORDER BY ts_ms DESC, event_id DESC LIMIT " + limit));
    }

    @Override
    public long count(AuditFilter filter) {
        return client.query("SELECT count() AS n FROM " + table(filter) + " FINAL" + where(filter)).get(0)
                .get("n").asLong();
    }

    @Override
    public InputStream export(AuditFilter filter, ExportFormat format) {
        String order = " ORDER BY ts_ms DESC, event_id DESC, chain_partition DESC, chain_seq DESC";
        String sql = "SELECT toString(toDateTime(intDiv(ts_ms, 1000))) AS time_utc, " + COLUMNS + " FROM " + table(filter)
                + " FINAL" + where(filter) + order;
        // neutralised outside the filtering query: ClickHouse would read a WHERE on actor as one on the alias
        return client.queryStream(format == ExportFormat.CSV
                ? "SELECT time_utc, " + CSV_COLUMNS + " FROM (" + sql + ")" + order + " FORMAT CSVWithNames"
                : sql + " FORMAT JSONEachRow");
    }

    @Override
    public void links(Instant from, Instant to, Consumer<StoredLink> sink) {
        String sql = "SELECT " + COLUMNS + " FROM " + client.database() + ".audit_log FINAL WHERE chained_at >= toDateTime("
                + from.getEpochSecond() + ") AND chained_at < toDateTime(" + to.getEpochSecond()
                + ") ORDER BY chain_partition, chain_seq FORMAT JSONEachRow";
        try (InputStream in = client.queryStream(sql);
             MappingIterator<JsonNode> rows = JSON.readerFor(JsonNode.class).readValues(in)) {
            while (rows.hasNext()) {
                sink.accept(link(rows.next()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the audit chain failed", e);
        }
    }

    @Override
    public Optional<StoredLink> link(int partition, long seq) {
        return client.query("SELECT " + COLUMNS + " FROM " + client.database() + ".audit_log FINAL WHERE chain_partition = "
                + partition + " AND chain_seq = " + seq + " LIMIT 1").stream().map(ClickHouseAuditStore::link).findFirst();
    }

    private static StoredLink link(JsonNode row) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : AuditChain.TEXT_FIELDS) {
            fields.put(field, row.get(field).asText());
        }
        return new StoredLink(fields, row.get("ts_ms").asLong(), row.get("chain_partition").asInt(),
                row.get("chain_seq").asLong(), row.get("prev_hash").asText(), row.get("hash").asText());
    }

    @Override
    public List<AuditDigest> digests(Instant from, Instant to) {
        return client.query("SELECT chain_partition, chain_seq, hash, hmac, toUnixTimestamp(at) AS at FROM "
                + client.database() + ".audit_digests FINAL WHERE at >= toDateTime(" + from.getEpochSecond()
                + ") AND at < toDateTime(" + to.getEpochSecond() + ")").stream()
                .map(row -> new AuditDigest(row.get("chain_partition").asInt(), row.get("chain_seq").asLong(),
                        row.get("hash").asText(), row.get("hmac").asText(), Instant.ofEpochSecond(row.get("at").asLong())))
                .toList();
    }
}

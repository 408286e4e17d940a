package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.pipeline.DeadLetterStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Dead letters from the {@code sink_dead_letters} table, which the sink writes. */
public final class ClickHouseDeadLetterStore implements DeadLetterStore {

    private final ClickHouseClient client;

    public ClickHouseDeadLetterStore(ClickHouseClient client) {
        this.client = client;
    }

    @Override
    public List<StoredDeadLetter> recent(Instant from, Instant to, Optional<String> table, int limit) {
        String sql = "SELECT at_ms, topic, partition, offset, table_name, reason, payload_bytes, payload_base64"
                + " FROM " + client.database() + ".sink_dead_letters FINAL"
                + " WHERE at >= toDateTime(" + from.getEpochSecond() + ") AND at < toDateTime(" + to.getEpochSecond() + ")"
                + table.map(name -> " AND table_name = " + SqlLiteral.string(name)).orElse("")
                + " ORDER BY at_ms DESC, topic, partition, offset LIMIT " + limit;
        return client.query(sql).stream().map(ClickHouseDeadLetterStore::letter).toList();
    }

    private static StoredDeadLetter letter(JsonNode row) {
        return new StoredDeadLetter(Instant.ofEpochMilli(row.get("at_ms").asLong()), row.get("topic").asText(),
                row.get("partition").asInt(), row.get("offset").asLong(), row.get("table_name").asText(),
                row.get("reason").asText(), row.get("payload_bytes").asInt(), row.get("payload_base64").asText());
    }
}

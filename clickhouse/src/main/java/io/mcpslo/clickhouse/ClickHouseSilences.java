package io.mcpslo.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.alert.Silence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Silences in ClickHouse. A silence is never updated in place: each change (creation, expiry) writes a row with a
 * higher version and reads take the latest with FINAL. Times are stored in whole seconds.
 */
public final class ClickHouseSilences {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseClient client;

    public ClickHouseSilences(ClickHouseClient client) {
        this.client = client;
    }

    public void save(Silence silence, Instant now) {
        ObjectNode row = MAPPER.createObjectNode();
        row.put("id", silence.id());
        try {
            row.put("matchers", MAPPER.writeValueAsString(silence.matchers()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        row.put("starts_at", silence.startsAt().getEpochSecond());
        row.put("ends_at", silence.endsAt().getEpochSecond());
        row.put("created_by", silence.createdBy());
        row.put("comment", silence.comment());
        row.put("updated_at", now.getEpochSecond());
        row.put("version", now.toEpochMilli());
        try {
            client.insertJsonEachRow("silences", (MAPPER.writeValueAsString(row) + "\n").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Silences whose end lies after {@code now} (active or still to come). */
    public List<Silence> unexpired(Instant now) {
        return select("WHERE ends_at > toDateTime(" + now.getEpochSecond() + ")");
    }

    /** All silences, newest first, at most {@code limit}. */
    public List<Silence> all(int limit) {
        return select("ORDER BY starts_at DESC LIMIT " + Math.max(1, limit));
    }

    public Optional<Silence> find(String id) {
        return select("WHERE id = " + SqlLiteral.string(id)).stream().findFirst();
    }

    public List<Silence> active(Instant now) {
        return unexpired(now).stream().filter(silence -> silence.activeAt(now)).toList();
    }

    private List<Silence> select(String tail) {
        String sql = "SELECT id, matchers, toUnixTimestamp(starts_at) AS starts_at, toUnixTimestamp(ends_at) AS ends_at,"
                + " created_by, comment FROM " + client.database() + ".silences FINAL " + tail;
        return client.query(sql).stream().map(ClickHouseSilences::silence).toList();
    }

    private static Silence silence(JsonNode row) {
        Map<String, String> matchers = new HashMap<>();
        try {
            JsonNode parsed = MAPPER.readTree(row.get("matchers").asText());
            for (Iterator<Map.Entry<String, JsonNode>> it = parsed.fields(); it.hasNext(); ) {
                var entry = it.next();
                matchers.put(entry.getKey(), entry.getValue().asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("silence " + row.get("id").asText() + " has unreadable matchers", e);
        }
        return new Silence(row.get("id").asText(), matchers, Instant.ofEpochSecond(row.get("starts_at").asLong()),
                Instant.ofEpochSecond(row.get("ends_at").asLong()), row.get("created_by").asText(),
                row.get("comment").asText());
    }
}

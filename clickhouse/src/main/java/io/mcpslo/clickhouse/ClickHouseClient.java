package io.mcpslo.clickhouse;

import io.mcpslo.storage.ReadMeter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ClickHouse over its HTTP interface, the one every release (18.16 included) and ClickHouse Cloud share.
 * This class and the stores built on it own every SQL string; nothing else in the project speaks SQL.
 */
public final class ClickHouseClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_CHARS = 2_000;

    private final ClickHouseConfig config;
    private final HttpClient http;

    public ClickHouseClient(ClickHouseConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build());
    }

    private ClickHouseClient(ClickHouseConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /** This client waiting up to {@code timeout} for each answer; connecting still times out as configured. */
    public ClickHouseClient withRequestTimeout(Duration timeout) {
        return new ClickHouseClient(new ClickHouseConfig(config.url(), config.user(), config.password(),
                config.database(), timeout), http);
    }

    public ClickHouseConfig config() {
        return config;
    }

    public String database() {
        return config.database();
    }

    /** True when the server answers /ping. */
    public boolean ping() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(config.url().resolve("/ping"))
                    .timeout(config.requestTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates the configured database; the one statement sent without {@code ?database=}, which must exist. */
    /** The server's version, as {@code SELECT version()} answers it. */
    public String serverVersion() {
        return query("SELECT version() AS v").get(0).get("v").asText();
    }

    public void createDatabaseIfMissing() {
        String sql = "CREATE DATABASE IF NOT EXISTS " + config.database();
        send(config.url().toString().replaceAll("/+$", "") + "/", HttpRequest.BodyPublishers.ofString(sql), sql);
    }

    /** Runs a statement that returns nothing (DDL, ALTER). */
    public void execute(String sql) {
        send(uri(null), HttpRequest.BodyPublishers.ofString(sql), sql);
    }

    /** Inserts rows given as JSONEachRow lines (one JSON object per line). */
    public void insertJsonEachRow(String table, byte[] rows) {
        String query = "INSERT INTO " + config.database() + "." + SqlLiteral.identifier(table) + " FORMAT JSONEachRow";
        send(uri(query), HttpRequest.BodyPublishers.ofByteArray(rows), query);
    }

    /** Inserts rows in RowBinary, each holding the named columns in that order (the rest take their defaults). */
    public void insertRowBinary(String table, List<String> columns, RowBinaryWriter rows) {
        StringBuilder query = new StringBuilder("INSERT INTO ").append(config.database()).append('.')
                .append(SqlLiteral.identifier(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            query.append(i == 0 ? "" : ", ").append(SqlLiteral.identifier(columns.get(i)));
        }
        String sql = query.append(") FORMAT RowBinary").toString();
        send(uri(sql), HttpRequest.BodyPublishers.ofByteArray(rows.buffer(), 0, rows.size()), sql);
    }

    /** Runs a SELECT and returns its rows as JSON objects (64-bit integers as numbers). */
    public List<JsonNode> query(String sql) {
        String body = sql + "\nFORMAT JSON";
        byte[] answer = send(uri(null) + "&output_format_json_quote_64bit_integers=0",
                HttpRequest.BodyPublishers.ofString(body), sql);
        try {
            List<JsonNode> rows = new ArrayList<>();
            JsonNode json = JSON.readTree(answer);
            json.path("data").forEach(rows::add);
            JsonNode statistics = json.path("statistics");
            ReadMeter.record(statistics.path("rows_read").asLong(), statistics.path("bytes_read").asLong());
            return rows;
        } catch (IOException e) {
            throw new ClickHouseException("unreadable answer to: " + abbreviate(sql), 200, e);
        }
    }

    /**
     * Runs a SELECT and hands its answer, in RowBinary, to {@code eachRow} once per row; the consumer reads exactly
     * the row's columns, in the SELECT's order. What ClickHouse read goes to the read meter from its
     * {@code X-ClickHouse-Summary} header; 18.16 sends none, and the rows and bytes returned stand in (a lower bound).
     */
    public void queryRowBinary(String sql, java.util.function.Consumer<RowBinaryReader> eachRow) {
        HttpResponse<byte[]> response = sendForResponse(uri(null),
                HttpRequest.BodyPublishers.ofString(sql + "\nFORMAT RowBinary"), sql);
        byte[] answer = response.body();
        RowBinaryReader reader = new RowBinaryReader(answer);
        long rows = 0;
        try {
            while (reader.hasMore()) {
                eachRow.accept(reader);
                rows++;
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ClickHouseException("unreadable RowBinary answer (" + e.getMessage() + ") to: "
                    + abbreviate(sql), 200, e);
        }
        Optional<JsonNode> summary = response.headers().firstValue("X-ClickHouse-Summary").flatMap(ClickHouseClient::json);
        if (summary.isPresent() && summary.get().has("read_rows")) {
            ReadMeter.record(summary.get().path("read_rows").asLong(), summary.get().path("read_bytes").asLong());
        } else {
            ReadMeter.recordReturned(rows, answer.length);
        }
    }

    /** The summary's JSON; its numbers come quoted ({"read_rows":"123",…}), which asLong reads as well. */
    private static Optional<JsonNode> json(String text) {
        try {
            return Optional.of(JSON.readTree(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs a SELECT whose text ends in its own FORMAT clause and returns the answer as a stream, so a result
     * of any size passes through without being held in memory. The caller closes the stream.
     */
    public InputStream queryStream(String sqlWithFormat) {
        try {
            HttpResponse<InputStream> response = http.send(request(uri(null)
                            + "&output_format_json_quote_64bit_integers=0",
                    HttpRequest.BodyPublishers.ofString(sqlWithFormat)), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (InputStream error = response.body()) {
                    throw refused(response.statusCode(), new String(error.readNBytes(MAX_ERROR_CHARS),
                            StandardCharsets.UTF_8), sqlWithFormat);
                }
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e, sqlWithFormat);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted", 0, e);
        }
    }

    private String uri(String query) {
        String base = config.url().toString().replaceAll("/+$", "") + "/?database="
                + URLEncoder.encode(config.database(), StandardCharsets.UTF_8);
        return query == null ? base : base + "&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private HttpRequest request(String uri, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
                .timeout(config.requestTimeout())
                .header("X-ClickHouse-User", config.user())
                .POST(body);
        if (!config.password().isEmpty()) {
            builder.header("X-ClickHouse-Key", config.password());
        }
        return builder.build();
    }

    private byte[] send(String uri, HttpRequest.BodyPublisher body, String sqlForErrors) {
        return sendForResponse(uri, body, sqlForErrors).body();
    }

    private HttpResponse<byte[]> sendForResponse(String uri, HttpRequest.BodyPublisher body, String sqlForErrors) {
        try {
            HttpResponse<byte[]> response = http.send(request(uri, body), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw refused(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), sqlForErrors);
            }
            return response;
        } catch (IOException e) {
            throw unreachable(e, sqlForErrors);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted", 0, e);
        }
    }

    private ClickHouseException refused(int status, String answer, String sql) {
        return new ClickHouseException("ClickHouse answered " + status + ": " + abbreviate(answer.trim())
                + " — to: " + abbreviate(sql), status, null);
    }

    private ClickHouseException unreachable(IOException e, String sql) {
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof HttpTimeoutException ? "timed out" : e.toString();
        return new ClickHouseException("ClickHouse at " + config.url() + " unreachable (" + why + ") for: "
                + abbreviate(sql) + ". Start it with `scripts/clickhouse.sh start` or set CLICKHOUSE_URL.", 0, e);
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The whole pipeline for an end-to-end test: embedded broker, collector, stream-processor and query API on free
 * ports, over a fresh ClickHouse database of its own; closing stops it and drops the database.
 */
record TestPipeline(ClickHouseClient clickHouse, Pipeline pipeline) implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** {@code name} tells the database, the streams application id and the data dir apart (letters, digits, _). */
    static TestPipeline start(String name) throws IOException {
        ClickHouseClient clickHouse = ClickHouseTestSupport.freshDatabase(name);
        try {
            return new TestPipeline(clickHouse, Pipeline.start(Settings.fromEnvironment().with(Map.of(
                    "CLICKHOUSE_DATABASE", clickHouse.database(),
                    "KAFKA_BOOTSTRAP_SERVERS", "",
                    "COLLECTOR_PORT", "0", "QUERY_API_PORT", "0", "PROCESSOR_METRICS_PORT", "0",
                    "PROCESSOR_APPLICATION_ID", name + "-" + UUID.randomUUID(),
                    "SINK_FLUSH_INTERVAL", "200ms",
                    "LOCAL_RECEIVER_PORT", "0", "SLO_DIR", "../slos",
                    "MCP_SLO_DATA_DIR", Files.createTempDirectory("mcp-slo-" + name).toString()))
                    .with(Map.of("KAFKA_EMBEDDED_PORT", "0"))));
        } catch (RuntimeException | IOException e) {
            ClickHouseTestSupport.drop(clickHouse);
            throw e;
        }
    }

    /** Closes a pipeline that may not have started (an {@code @AfterAll} after a failed {@code @BeforeAll}). */
    static void stop(TestPipeline running) {
        if (running != null) {
            running.close();
        }
    }

    /** The one point of {@code /api/v1/<endpoint>?step=all} for a server and tool over [from, to), read as an sre. */
    JsonNode point(String endpoint, String server, String tool, Instant from, Instant to) throws Exception {
        String url = "http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/" + endpoint + "?server=" + server
                + "&tool=" + tool + "&step=all&from=" + from + "&to=" + to;
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + pipeline.tokens().sre()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return EventCodec.MAPPER.readTree(response.body()).get("points").get(0);
    }

    /** One number from ClickHouse. */
    long scalar(String sql) {
        return clickHouse.query("SELECT (" + sql + ") AS v").get(0).get("v").asLong();
    }

    @Override
    public void close() {
        try {
            pipeline.close();
        } finally {
            ClickHouseTestSupport.drop(clickHouse);
        }
    }
}

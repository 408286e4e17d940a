package io.mcpslo.clickhouse;

import io.mcpslo.common.config.Settings;
import java.util.Map;
import java.util.UUID;

/** Connects integration tests to the real ClickHouse, each test class in a database of its own. */
public final class ClickHouseTestSupport {

    private ClickHouseTestSupport() {
    }

    /** A client on a fresh, migrated database; fails with how-to-start advice when no server answers. */
    public static ClickHouseClient freshDatabase(String purpose) {
        String database = "it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        Settings settings = Settings.fromEnvironment().with(Map.of("CLICKHOUSE_DATABASE", database));
        ClickHouseClient client = new ClickHouseClient(ClickHouseConfig.from(settings));
        if (!client.ping()) {
            throw new IllegalStateException("No ClickHouse answers at " + client.config().url()
                    + ". Integration tests need a real server: run `scripts/clickhouse.sh start` (or `./mcp-slo test`,"
                    + " which starts it), or point CLICKHOUSE_URL at a running server.");
        }
        new SchemaMigrator(client).migrate();
        return client;
    }

    public static void drop(ClickHouseClient client) {
        if (client == null) {
            return;
        }
        client.execute("DROP DATABASE IF EXISTS " + client.database());
    }
}

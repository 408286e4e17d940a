package io.mcpslo.clickhouse.storage;

import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.common.config.Settings;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** ClickHouse storages for the contract suite: each on a fresh, migrated database of the running server. */
final class ContractDatabases {

    private ContractDatabases() {
    }

    /** A prepared storage on a new database; fails with how-to-start advice when no server answers. */
    static ClickHouseStorage fresh(String purpose) {
        String database = "it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        Settings settings = Settings.fromEnvironment().with(Map.of("CLICKHOUSE_DATABASE", database));
        ClickHouseStorage storage = new ClickHouseStorage(ClickHouseConfig.from(settings),
                RetentionSettings.from(settings), RollerSettings.from(settings), Clock.systemUTC());
        if (!storage.client().ping()) {
            throw new IllegalStateException("No ClickHouse answers at " + storage.client().config().url()
                    + ". Integration tests need a real server: run `scripts/clickhouse.sh start` (or `./mcp-slo test`,"
                    + " which starts it), or point CLICKHOUSE_URL at a running server.");
        }
        storage.prepare();
        return storage;
    }

    static void drop(ClickHouseStorage storage) {
        if (storage != null) {
            storage.client().execute("DROP DATABASE IF EXISTS " + storage.client().database());
        }
    }
}

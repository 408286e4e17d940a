package io.mcpslo.clickhouse.storage;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.common.config.Settings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** ClickHouse storages for the contract suites, each in a database of its own, dropped when the test ends. */
final class FreshClickHouseStorages {

    private final String purpose;
    private final List<ClickHouseClient> opened = new ArrayList<>();

    FreshClickHouseStorages(String purpose) {
        this.purpose = purpose;
    }

    /** A fresh, migrated database; fails with how-to-start advice when no server answers. */
    ClickHouseStorage open() {
        String database = "it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        Settings settings = Settings.fromEnvironment().with(Map.of("CLICKHOUSE_DATABASE", database));
        var storage = (ClickHouseStorage) new ClickHouseStorageProvider().open(settings, Clock.systemUTC());
        if (!storage.client().ping()) {
            throw new IllegalStateException("No ClickHouse answers at " + storage.client().config().url()
                    + ". Integration tests need a real server: run `scripts/clickhouse.sh start` (or `./mcp-slo test`,"
                    + " which starts it), or point CLICKHOUSE_URL at a running server.");
        }
        opened.add(storage.client());
        return storage;
    }

    void dropAll() {
        opened.forEach(ClickHouseTestSupport::drop);
        opened.clear();
    }
}

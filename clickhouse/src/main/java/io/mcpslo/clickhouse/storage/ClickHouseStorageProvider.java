package io.mcpslo.clickhouse.storage;

import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.common.config.Settings;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.StorageProvider;
import java.time.Clock;

/** {@code STORAGE_TYPE=clickhouse}: the {@code CLICKHOUSE_*}, {@code *_RETENTION_DAYS} and {@code ROLLUP_*} settings. */
public final class ClickHouseStorageProvider implements StorageProvider {

    @Override
    public String type() {
        return "clickhouse";
    }

    @Override
    public Storage open(Settings settings, Clock clock) {
        return new ClickHouseStorage(ClickHouseConfig.from(settings), RetentionSettings.from(settings),
                RollerSettings.from(settings), clock);
    }
}

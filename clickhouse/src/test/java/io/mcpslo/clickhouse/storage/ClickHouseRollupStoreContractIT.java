package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.RollupStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseRollupStoreContractIT extends RollupStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("rollup_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

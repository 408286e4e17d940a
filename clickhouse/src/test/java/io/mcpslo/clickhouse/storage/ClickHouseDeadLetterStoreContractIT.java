package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.DeadLetterStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseDeadLetterStoreContractIT extends DeadLetterStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("deadletter_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

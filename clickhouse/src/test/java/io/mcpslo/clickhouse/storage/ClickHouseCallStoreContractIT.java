package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.CallStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseCallStoreContractIT extends CallStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("calls_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.SloHistoryStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseSloHistoryStoreContractIT extends SloHistoryStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("slohistory_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

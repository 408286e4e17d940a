package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.SloStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseSloStoreContractIT extends SloStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("slo_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

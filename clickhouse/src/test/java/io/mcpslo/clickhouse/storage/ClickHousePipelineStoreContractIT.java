package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.PipelineStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHousePipelineStoreContractIT extends PipelineStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("pipeline_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

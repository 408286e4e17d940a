package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.ReportStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseReportStoreContractIT extends ReportStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("report_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

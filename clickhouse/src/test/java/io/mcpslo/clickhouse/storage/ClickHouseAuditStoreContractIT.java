package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.AuditStoreContract;
import org.junit.jupiter.api.AfterEach;

class ClickHouseAuditStoreContractIT extends AuditStoreContract {

    private final FreshClickHouseStorages databases = new FreshClickHouseStorages("audit_contract");

    @Override
    protected Storage newStorage() {
        return databases.open();
    }

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }
}

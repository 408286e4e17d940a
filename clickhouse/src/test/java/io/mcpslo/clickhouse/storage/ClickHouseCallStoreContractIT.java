package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.CallStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The ClickHouse calls pass the call store contract, each test on a fresh database of the running server. */
class ClickHouseCallStoreContractIT extends CallStoreContract {

    private ClickHouseStorage storage;

    @Override
    protected Storage newStorage() {
        storage = ContractDatabases.fresh("calls_contract");
        return storage;
    }

    @AfterEach
    void dropDatabase() {
        ContractDatabases.drop(storage);
    }
}

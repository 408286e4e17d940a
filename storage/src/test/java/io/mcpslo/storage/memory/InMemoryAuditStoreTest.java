package io.mcpslo.storage.memory;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.AuditStoreContract;
import java.time.Clock;

/** The in-memory audit log passes the contract the ClickHouse one passes. */
class InMemoryAuditStoreTest extends AuditStoreContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage(Clock.systemUTC());
    }
}

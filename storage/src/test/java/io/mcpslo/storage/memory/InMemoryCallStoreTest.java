package io.mcpslo.storage.memory;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.CallStoreContract;
import java.time.Clock;

/** The in-memory calls pass the contract the ClickHouse ones pass. */
class InMemoryCallStoreTest extends CallStoreContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage(Clock.systemUTC());
    }
}

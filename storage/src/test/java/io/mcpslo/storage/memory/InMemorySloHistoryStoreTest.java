package io.mcpslo.storage.memory;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.SloHistoryStoreContract;
import java.time.Clock;

class InMemorySloHistoryStoreTest extends SloHistoryStoreContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage(Clock.systemUTC());
    }
}

package io.mcpslo.storage.memory;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.SloStoreContract;
import java.time.Clock;

class InMemorySloStoreTest extends SloStoreContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage(Clock.systemUTC());
    }
}

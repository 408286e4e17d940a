package io.mcpslo.storage.memory;

import io.mcpslo.storage.Storage;
import io.mcpslo.storage.contract.DeadLetterStoreContract;
import java.time.Clock;

class InMemoryDeadLetterStoreTest extends DeadLetterStoreContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage(Clock.systemUTC());
    }
}

package io.mcpslo.storage.contract;

import io.mcpslo.storage.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh, empty, prepared storage for each test of a contract; the back end's runner says how to make one. */
abstract class StoreContract {

    protected Storage storage;

    /** A fresh, empty storage (for ClickHouse, a database of its own). */
    protected abstract Storage newStorage();

    @BeforeEach
    final void openStorage() {
        storage = newStorage();
        storage.prepare();
    }

    @AfterEach
    final void closeStorage() {
        storage.close();
    }
}

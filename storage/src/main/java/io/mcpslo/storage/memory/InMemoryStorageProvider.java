package io.mcpslo.storage.memory;

import io.mcpslo.common.config.Settings;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.StorageProvider;
import java.time.Clock;

/** {@code STORAGE_TYPE=memory}: everything in the process's memory; no settings. */
public final class InMemoryStorageProvider implements StorageProvider {

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public Storage open(Settings settings, Clock clock) {
        return new InMemoryStorage(clock);
    }
}

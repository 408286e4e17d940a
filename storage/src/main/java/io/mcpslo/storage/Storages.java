package io.mcpslo.storage;

import io.mcpslo.common.config.InvalidSettingException;
import io.mcpslo.common.config.Settings;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Opens the storage back end {@code STORAGE_TYPE} names (default {@value #DEFAULT_TYPE}). */
public final class Storages {

    public static final String DEFAULT_TYPE = "clickhouse";

    private Storages() {
    }

    public static Storage open(Settings settings, Clock clock) {
        String type = type(settings);
        Map<String, StorageProvider> providers = providers();
        StorageProvider provider = providers.get(type);
        if (provider == null) {
            throw new InvalidSettingException("STORAGE_TYPE", type, "must be one of " + providers.keySet());
        }
        return provider.open(settings, clock);
    }

    public static String type(Settings settings) {
        return settings.string("STORAGE_TYPE", DEFAULT_TYPE);
    }

    /** Every back end on the class path by its type. */
    public static Map<String, StorageProvider> providers() {
        Map<String, StorageProvider> providers = new TreeMap<>();
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class)) {
            providers.put(provider.type(), provider);
        }
        return providers;
    }
}

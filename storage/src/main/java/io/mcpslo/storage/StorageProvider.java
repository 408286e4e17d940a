package io.mcpslo.storage;

import io.mcpslo.common.config.Settings;
import java.time.Clock;

/**
 * Opens one kind of storage back end from the settings; found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.mcpslo.storage.StorageProvider}) and picked by {@code STORAGE_TYPE}.
 */
public interface StorageProvider {

    /** The {@code STORAGE_TYPE} value that picks this back end. */
    String type();

    /** Opens the back end; a bad setting throws {@code InvalidSettingException} naming it. Does not prepare tables. */
    Storage open(Settings settings, Clock clock);
}

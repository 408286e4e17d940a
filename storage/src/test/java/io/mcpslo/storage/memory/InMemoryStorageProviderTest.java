package io.mcpslo.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.common.config.InvalidSettingException;
import io.mcpslo.common.config.Settings;
import io.mcpslo.storage.Storages;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** STORAGE_TYPE=memory picks the in-memory storage through the ServiceLoader, as the API and processor open it. */
class InMemoryStorageProviderTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void storageTypeMemoryOpensTheInMemoryStorage() {
        try (var storage = Storages.open(new Settings(Map.of("STORAGE_TYPE", "memory")), clock)) {
            assertInstanceOf(InMemoryStorage.class, storage);
            storage.prepare();
            assertEquals(java.util.List.of(), storage.processorUpkeep(), "nothing expires, nothing to drop");
        }
    }

    @Test
    void anUnknownStorageTypeIsRefusedNamingTheSettingAndTheTypesThereAre() {
        var refused = assertThrows(InvalidSettingException.class,
                () -> Storages.open(new Settings(Map.of("STORAGE_TYPE", "cassandra'; DROP")), clock));

        assertEquals("STORAGE_TYPE", refused.name());
        assertTrue(refused.getMessage().contains("memory"), refused.getMessage());
    }
}

package io.mcpslo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorRolesTest {

    @Test
    void rolesAreAListOfStreamsAndSink() {
        assertEquals(ProcessorRoles.ALL, ProcessorRoles.parse("streams,sink"));
        assertEquals(ProcessorRoles.ALL, ProcessorRoles.parse(" Sink , STREAMS "));
        assertEquals(new ProcessorRoles(false, true), ProcessorRoles.parse("sink"));
        assertEquals(new ProcessorRoles(true, false), ProcessorRoles.parse("streams"));
        assertEquals("streams,sink", ProcessorRoles.ALL.describe());
    }

    @Test
    void bothRolesByDefault() {
        assertEquals(ProcessorRoles.ALL, ProcessorConfig.from(new Settings(Map.of())).roles());
    }

    @Test
    void anUnknownMissingOrHostileRoleIsRefusedByName() {
        for (String bad : new String[] {"", ",", "streams,,sink", "sinks", "streams;sink", "sink' OR 1=1 --"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ProcessorRoles.parse(bad), bad);
            assertTrue(refused.getMessage().startsWith("PROCESSOR_ROLES"), refused.getMessage());
        }
        String huge = "x".repeat(100_000);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ProcessorRoles.parse(huge));
        assertTrue(refused.getMessage().length() < 200, "the message echoes a bounded part of the value");
        assertThrows(IllegalArgumentException.class, () -> new ProcessorRoles(false, false));
        IllegalArgumentException fromSettings = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.from(new Settings(Map.of("PROCESSOR_ROLES", "query-api"))));
        assertTrue(fromSettings.getMessage().contains("query-api"), fromSettings.getMessage());
    }
}

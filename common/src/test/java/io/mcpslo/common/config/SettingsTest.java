package io.mcpslo.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void missingOrBlankValuesFallBackToDefaults() {
        var settings = new Settings(Map.of("BLANK", "  "));
        assertEquals(8070, settings.integer("PORT", 8070, 1, 65535));
        assertEquals(8070, settings.integer("BLANK", 8070, 1, 65535));
        assertEquals(Duration.ofHours(6), settings.duration("LATENESS", Duration.ofHours(6)));
    }

    @Test
    void parsesEveryDurationUnit() {
        assertEquals(Duration.ofMillis(250), Settings.parseDuration("250ms"));
        assertEquals(Duration.ofSeconds(30), Settings.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(5), Settings.parseDuration("5m"));
        assertEquals(Duration.ofHours(6), Settings.parseDuration("6h"));
        assertEquals(Duration.ofDays(2), Settings.parseDuration("2d"));
    }

    @Test
    void badValuesNameTheVariableAndTheRule() {
        var settings = new Settings(Map.of("PORT", "eighty", "RANGE", "70000", "WAIT", "banana", "FLAG", "maybe",
                "URL", "not a url"));
        var port = assertThrows(InvalidSettingException.class, () -> settings.integer("PORT", 1, 1, 65535));
        assertEquals("PORT", port.name());
        assertTrue(port.getMessage().contains("whole number"), port.getMessage());
        assertTrue(assertThrows(InvalidSettingException.class, () -> settings.integer("RANGE", 1, 1, 65535))
                .getMessage().contains("between 1 and 65535"));
        assertTrue(assertThrows(InvalidSettingException.class, () -> settings.duration("WAIT", Duration.ZERO))
                .getMessage().startsWith("WAIT=banana"));
        assertTrue(assertThrows(InvalidSettingException.class, () -> settings.bool("FLAG", false))
                .getMessage().contains("true or false"));
        assertThrows(InvalidSettingException.class, () -> settings.uri("URL", "http://127.0.0.1:8123"));
    }

    @Test
    void overridesTakePrecedence() {
        var settings = new Settings(Map.of("A", "1", "B", "2")).with(Map.of("B", "3"));
        assertEquals(1, settings.integer("A", 0, 0, 9));
        assertEquals(3, settings.integer("B", 0, 0, 9));
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SoakTest {

    @Test
    void optionsDefaultToHalfAnHourAtTwentyThousandEventsPerSecondWithAFaultEveryThreeMinutes() {
        Soak.Options options = Soak.Options.parse(new String[0]);
        assertEquals(Duration.ofMinutes(30), options.length());
        assertEquals(20_000, options.rate());
        assertEquals(Duration.ofMinutes(3), options.faultEvery());
        assertFalse(options.keep());
    }

    @Test
    void optionsAreReadAndFractionsOfMinutesAllowed() {
        Soak.Options options = Soak.Options.parse(new String[] {"--minutes", "2.5", "--rate", "3000", "--fault-every",
            "0.5", "--keep"});
        assertEquals(Duration.ofSeconds(150), options.length());
        assertEquals(3_000, options.rate());
        assertEquals(Duration.ofSeconds(30), options.faultEvery());
        assertTrue(options.keep());
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Soak.Options.parse(new String[] {"--minutes", "abc"})).getMessage().contains("--minutes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Soak.Options.parse(new String[] {"--rate", "-5"})).getMessage().contains("--rate"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Soak.Options.parse(new String[] {"--fault-every", "NaN"})).getMessage().contains("--fault-every"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Soak.Options.parse(new String[] {"--rate"})).getMessage().contains("--rate needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Soak.Options.parse(new String[] {"--minuets", "3"})).getMessage().contains("unknown option --minuets"));
    }

    @Test
    void theVerdictFailsOnAnyLossDoubleCountOrIncidentPagedTwice() {
        assertTrue(new Soak.Verdict(100, 100, 100, 100, 2, 0, 0).passed());
        assertFalse(new Soak.Verdict(100, 99, 99, 99, 2, 0, 0).passed(), "one call lost");
        assertEquals(1, new Soak.Verdict(100, 99, 99, 99, 2, 0, 0).lost());
        assertFalse(new Soak.Verdict(100, 100, 101, 100, 2, 0, 0).passed(), "one call stored twice");
        assertFalse(new Soak.Verdict(100, 100, 100, 101, 2, 0, 0).passed(), "one call rolled up twice");
        assertFalse(new Soak.Verdict(100, 100, 100, 100, 2, 1, 0).passed(), "an incident fired twice");
        assertFalse(new Soak.Verdict(100, 100, 100, 100, 2, 0, 1).passed(), "a page delivered twice");
    }
}

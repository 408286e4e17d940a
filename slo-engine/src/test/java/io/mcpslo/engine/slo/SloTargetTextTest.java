package io.mcpslo.engine.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SloTargetTextTest {

    static Stream<Arguments> objectives() {
        return Stream.of(
                Arguments.of(0.999, "99.9 %"),
                Arguments.of(1 - 0.001, "99.9 %"),
                Arguments.of(0.9990000000000001, "99.9 %"), // read from a real page
                Arguments.of(0.9989999999999999, "99.9 %"),
                Arguments.of(0.99, "99 %"),
                Arguments.of(0.995, "99.5 %"),
                Arguments.of(0.9995, "99.95 %"),
                Arguments.of(0.99999, "99.999 %"),
                Arguments.of(1 - 1e-5, "99.999 %"),
                Arguments.of(0.9, "90 %"),
                Arguments.of(0.1 * 9, "90 %"),
                Arguments.of(0.1 + 0.2, "30 %"),
                Arguments.of(0.5, "50 %"),
                Arguments.of(0.975, "97.5 %"),
                Arguments.of(0.12345678, "12.345678 %"),
                Arguments.of(0.1234567891, "12.345679 %"), // 0.12345679 is within 1e-9 of it
                Arguments.of(0.9999999999, "99.99999999 %"), // within 1e-9 of 100 %, which it is not
                Arguments.of(1e-10, "0.00000001 %")); // within 1e-9 of 0 %, which it is not
    }

    @ParameterizedTest
    @MethodSource("objectives")
    void objectiveReadsAsPercentWithTheFewestDigitsThatKeepIt(double target, String expected) {
        assertEquals(expected, SloTargetText.percent(new Objective(target)));
    }

    @Test
    void windowsReadInWords() {
        assertEquals("30 days", SloTargetText.window(new RollingWindow(Duration.ofDays(30))));
        assertEquals("28 days", SloTargetText.window(new RollingWindow(Duration.ofDays(28))));
        assertEquals("7 days", SloTargetText.window(new RollingWindow(Duration.ofDays(7))));
        assertEquals("1 day", SloTargetText.window(new RollingWindow(Duration.ofDays(1))));
        assertEquals("1 hour", SloTargetText.window(new RollingWindow(Duration.ofHours(1))));
        assertEquals("36 hours", SloTargetText.window(new RollingWindow(Duration.ofHours(36))));
        assertEquals("90 minutes", SloTargetText.window(new RollingWindow(Duration.ofMinutes(90))));
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertEquals("calendar month", SloTargetText.window(new CalendarWindow(CalendarWindow.Period.MONTH, paris)));
        assertEquals("calendar week", SloTargetText.window(new CalendarWindow(CalendarWindow.Period.WEEK, paris)));
        assertEquals("calendar quarter", SloTargetText.window(new CalendarWindow(CalendarWindow.Period.QUARTER, paris)));
    }

    @Test
    void targetJoinsObjectiveAndWindow() {
        assertEquals("99.9 % over 30 days",
                SloTargetText.of(new Objective(0.9990000000000001), new RollingWindow(Duration.ofDays(30))));
    }
}

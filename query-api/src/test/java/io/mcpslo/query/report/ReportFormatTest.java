package io.mcpslo.query.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Numbers as people write them, in every format of the report. */
class ReportFormatTest {

    @Test
    void objectivesReadAsTheyAreWritten() {
        assertEquals("99 %", ReportFormat.objective(0.99));
        assertEquals("99.9 %", ReportFormat.objective(0.999));
        assertEquals("99.95 %", ReportFormat.objective(0.9995));
        assertEquals("99.9 %", ReportFormat.objective(1 - 0.001), "no 99.900000001 %");
    }

    @Test
    void sharesHaveTwoDecimalsButNeverRoundToAHundredOrZero() {
        assertEquals("99.93 %", ReportFormat.percent(0.99934));
        assertEquals("30 %", ReportFormat.percent(0.3));
        assertEquals("100 %", ReportFormat.percent(1));
        assertEquals("99.996 %", ReportFormat.percent(0.99996));
        assertEquals("0.004 %", ReportFormat.percent(0.00004));
        assertEquals("0 %", ReportFormat.percent(0));
    }

    @Test
    void budgetsAndBurnRatesHaveOneDecimal() {
        assertEquals("12.5 %", ReportFormat.budget(0.125));
        assertEquals("240 %", ReportFormat.budget(2.4));
        assertEquals("< 0.1 %", ReportFormat.budget(0.0002));
        assertEquals("0 %", ReportFormat.budget(0.0));
        assertEquals("–", ReportFormat.budget(null));
        assertEquals("14.4", ReportFormat.burn(14.4000001));
        assertEquals("2", ReportFormat.burn(2.0));
        assertEquals("0.3", ReportFormat.burn(0.26));
    }

    @Test
    void durationsUseTheirTwoLargestUnits() {
        assertEquals("2 h 14 min", ReportFormat.duration(Duration.ofMinutes(134).plusSeconds(20)));
        assertEquals("45 min", ReportFormat.duration(Duration.ofMinutes(45)));
        assertEquals("3 h", ReportFormat.duration(Duration.ofHours(3)));
        assertEquals("40 s", ReportFormat.duration(Duration.ofSeconds(40)));
        assertEquals("1 d 4 h", ReportFormat.duration(Duration.ofHours(28).plusMinutes(10)));
    }

    @Test
    void countsLatenciesDaysAndTimes() {
        assertEquals("7,512", ReportFormat.count(7512));
        assertEquals("87 ms", ReportFormat.latency(87.4));
        assertEquals("1.24 s", ReportFormat.latency(1240.0));
        assertEquals("Mon 16 Nov", ReportFormat.day(LocalDate.of(2026, 11, 16)));
        assertEquals("Tue 17 Nov 11:00", ReportFormat.time(Instant.parse("2026-11-17T10:00:00Z"),
                ZoneId.of("Europe/Paris")));
    }
}

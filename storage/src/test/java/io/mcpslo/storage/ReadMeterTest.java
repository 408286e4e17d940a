package io.mcpslo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadMeterTest {

    @Test
    void countsReadsWhileOpenInItAndEveryOuterMeter() {
        try (ReadMeter request = ReadMeter.openAlone()) {
            ReadMeter.record(100, 1_000);
            try (ReadMeter question = ReadMeter.open()) {
                ReadMeter.record(20, 200);
                assertEquals(20, question.rows());
                assertEquals(1, question.queries());
            }
            ReadMeter.record(3, 30);
            assertEquals(123, request.rows());
            assertEquals(1_230, request.bytes());
            assertEquals(3, request.queries());
            assertTrue(request.exact());
        }
        ReadMeter.record(5, 5); // no meter open: nobody counts it, nothing fails
    }

    @Test
    void aReadReportingOnlyWhatItReturnedMakesTheFiguresALowerBound() {
        try (ReadMeter request = ReadMeter.openAlone()) {
            ReadMeter.record(100, 1_000);
            try (ReadMeter question = ReadMeter.open()) {
                ReadMeter.recordReturned(7, 70);
                assertFalse(question.exact());
                assertEquals(7, question.rows());
            }
            assertFalse(request.exact(), "the outer meter holds the estimate too");
            assertEquals(107, request.rows());
            assertEquals(2, request.queries());
        }
        try (ReadMeter next = ReadMeter.openAlone()) {
            ReadMeter.record(1, 1);
            assertTrue(next.exact(), "a new request starts exact");
        }
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A back-fill counts its own calls: others in the range neither hurry nor hold it up. */
class BackfillProgressTest {

    @Test
    void completeOnlyOnceEverySentCallIsStoredAndRolledUpOrKnownTooLate() {
        assertFalse(new BackfillProgress(120_960, 0, 0, 0).complete(), "just posted: nothing stored yet");
        assertFalse(new BackfillProgress(120_960, 120_960, 90_000, 0).complete(), "stored raw, not yet rolled up");
        assertFalse(new BackfillProgress(120_960, 100_000, 120_960, 0).complete(), "rolled up, raw rows still coming");
        assertTrue(new BackfillProgress(120_960, 120_960, 120_960, 0).complete());
        assertTrue(new BackfillProgress(120_960, 120_960, 100_000, 20_960).complete(), "the rest is too late");
    }

    @Test
    void progressSaysHowFarTheRunsOwnCallsAre() {
        assertEquals("back-fill: 120,960 calls sent · 60,480 stored (50 %) · 30,240 in rollups (25 %)",
                new BackfillProgress(120_960, 60_480, 30_240, 0).line());
        assertEquals("back-fill: 100 calls sent · 100 stored (100 %) · 90 in rollups (90 %) · 10 too late for a rollup",
                new BackfillProgress(100, 100, 90, 10).line());
    }

    @Test
    void theTooLateCounterIsReadFromThePrometheusText() {
        assertEquals(42, WeekBackfill.tooLateFrom("""
                # HELP mcp_processor_calls_too_late_total Calls older than the allowed lateness
                # TYPE mcp_processor_calls_too_late_total counter
                mcp_processor_calls_too_late_total 42.0
                mcp_processor_calls_too_late_totally_else 7.0
                """), 1e-9);
    }
}

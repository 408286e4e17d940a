package io.mcpslo.engine.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MinuteSeriesTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void sumsThroughHourlyAndDailySubtotalsEqualMinuteByMinuteSumsWithAProratedFirstMinute() {
        Random random = new Random(42);
        MinuteSeries series = new MinuteSeries();
        long[][] truth = new long[10 * 24 * 60][2];
        for (int i = 0; i < 40_000; i++) {
            int minute = random.nextInt(truth.length);
            truth[minute] = new long[] {random.nextInt(100), random.nextInt(5)};
            series.put(START.plus(Duration.ofMinutes(minute)), new EventCounts(truth[minute][0], truth[minute][1]));
        }
        int pruned = 90;
        series.pruneBefore(START.plus(Duration.ofMinutes(pruned)));
        for (int i = 0; i < 500; i++) {
            long fromSecond = random.nextInt(truth.length * 60);
            long toSecond = fromSecond + random.nextInt(truth.length * 60 - (int) fromSecond + 1);
            assertEquals(expected(truth, pruned, fromSecond, toSecond),
                    series.sum(START.plusSeconds(fromSecond), START.plusSeconds(toSecond)),
                    "[" + fromSecond + ", " + toSecond + ")");
        }
        // whole days from the first, whose subtotal must have lost the pruned minutes
        for (int days = 1; days <= 10; days++) {
            assertEquals(expected(truth, pruned, 0, days * 86_400L),
                    series.sum(START, START.plus(Duration.ofDays(days))), days + " days from the first");
        }
    }

    /** Minute by minute: the minutes starting in [from, to) after the pruned ones, and the share of the first. */
    private static EventCounts expected(long[][] truth, int pruned, long fromSecond, long toSecond) {
        long good = 0;
        long bad = 0;
        for (int minute = pruned; minute < truth.length; minute++) {
            long startSecond = minute * 60L;
            if (startSecond >= fromSecond && startSecond < toSecond) {
                good += truth[minute][0];
                bad += truth[minute][1];
            } else if (startSecond < fromSecond && fromSecond < startSecond + 60 && toSecond > fromSecond) {
                double share = (Math.min(toSecond, startSecond + 60) - fromSecond) / 60.0;
                good += Math.round(truth[minute][0] * share);
                bad += Math.round(truth[minute][1] * share);
            }
        }
        return new EventCounts(good, bad);
    }
}

package io.mcpslo.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryBenchmarkTest {

    /** As ui.step in app.js: 5-minute points up to a day, hours beyond; and the one-bucket totals. */
    @Test
    void theQuestionsThePagesAskAreTheirStepsPerRange() {
        assertTrue(QueryBenchmark.pagesAsk(Duration.ofHours(1), "5m"));
        assertTrue(QueryBenchmark.pagesAsk(Duration.ofHours(24), "5m"));
        assertTrue(QueryBenchmark.pagesAsk(Duration.ofDays(7), "1h"));
        assertTrue(QueryBenchmark.pagesAsk(Duration.ofDays(30), "all"));
        assertFalse(QueryBenchmark.pagesAsk(Duration.ofHours(24), "1m"), "minute steps: API clients only");
        assertFalse(QueryBenchmark.pagesAsk(Duration.ofHours(24), "1h"));
        assertFalse(QueryBenchmark.pagesAsk(Duration.ofDays(7), "5m"), "5-minute steps over days: API clients only");
        assertFalse(QueryBenchmark.pagesAsk(Duration.ofDays(30), "5m"));
    }

    /** Grafana's $__interval on a 1,200-point panel: the range over the points, rounded as Grafana rounds it. */
    @Test
    void grafanasIntervalIsTheRangeOverThePointsRoundedToANiceInterval() {
        assertEquals(60, QueryBenchmark.grafanaInterval(Duration.ofHours(24), 1_200), "72 s rounds to 1 min");
        assertEquals(600, QueryBenchmark.grafanaInterval(Duration.ofDays(7), 1_200), "504 s rounds to 10 min");
        assertEquals(1_800, QueryBenchmark.grafanaInterval(Duration.ofDays(30), 1_200), "2,160 s rounds to 30 min");
        assertEquals(300, QueryBenchmark.grafanaInterval(Duration.ofDays(7), 1_900), "a wider panel: 318 s, 5 min");
        assertEquals(1, QueryBenchmark.grafanaInterval(Duration.ofMinutes(5), 1_200), "under a second: at least 1 s");
        assertEquals(86_400, QueryBenchmark.grafanaInterval(Duration.ofDays(3_650), 1_200));
    }
}

package io.mcpslo.allinone;

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
}

package io.mcpslo.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.storage.rollup.RollupQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeParametersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:30Z"), ZoneOffset.UTC);

    private static RollupQuery parse(String... keyValues) {
        Map<String, List<String>> params = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.computeIfAbsent(keyValues[i], k -> new java.util.ArrayList<>()).add(keyValues[i + 1]);
        }
        return RangeParameters.parse(params, CLOCK, 10_000);
    }

    private static void assertRefused(String field, String... keyValues) {
        var error = assertThrows(BadRequestException.class, () -> parse(keyValues));
        assertEquals(field, error.field(), error.getMessage());
    }

    @Test
    void defaultsToTheLastHourByMinute() {
        RollupQuery query = parse();
        assertEquals(Instant.parse("2026-11-25T12:01:00Z"), query.to());
        assertEquals(Instant.parse("2026-11-25T11:01:00Z"), query.from());
        assertEquals(Optional.of(Duration.ofMinutes(1)), query.step());
    }

    @Test
    void readsEveryParameter() {
        RollupQuery query = parse("server", "github", "tool", "search_code_v2", "version", "2.0",
                "from", "2026-11-25T10:00:00+01:00", "to", "2026-11-25T12:00:00Z", "step", "all");
        assertEquals(Optional.of("github"), query.server());
        assertEquals(Instant.parse("2026-11-25T09:00:00Z"), query.from());
        assertEquals(Optional.empty(), query.step());
    }

    @Test
    void refusesUnknownRepeatedAndMalformedParameters() {
        assertRefused("quantile", "quantile", "p99");
        assertRefused("server", "server", "a", "server", "b");
        assertRefused("step", "step", "2m");
        assertRefused("step", "step", "p95");
        assertRefused("from", "from", "yesterday");
        assertRefused("to", "to", "2026-13-01T00:00:00Z");
        assertRefused("from", "from", "2026-11-25T12:00:00Z", "to", "2026-11-25T11:00:00Z");
        assertRefused("from", "from", "2020-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z");
        assertRefused("step", "from", "2026-01-01T00:00:00Z", "to", "2026-11-01T00:00:00Z", "step", "1m");
        assertRefused("server", "server", "nul\u0000byte");
        assertRefused("tool", "tool", "x".repeat(10_000));
        assertRefused("tool", "tool", "");
    }

    @Test
    void errorMessagesNeverEchoControlCharacters() {
        var error = assertThrows(BadRequestException.class, () -> parse("evil\u0000\n", "x"));
        assertTrue(!error.getMessage().contains("\u0000") && !error.getMessage().contains("\n"), error.getMessage());
    }
}

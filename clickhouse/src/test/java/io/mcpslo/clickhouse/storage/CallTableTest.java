package io.mcpslo.clickhouse.storage;

import io.mcpslo.storage.calls.CallFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.schemas.Outcome;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallTableTest {

    private static final Instant FROM = Instant.parse("2026-11-25T11:00:00Z");

    private static CallFilter filter(Map<String, String> equals) {
        return new CallFilter(equals, Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), FROM,
                FROM.plusSeconds(3600));
    }

    @Test
    void aSessionUserOrTraceIsLookedUpInTheCorrelationCopyWhateverElseTheFilterNames() {
        for (String column : CallTable.CORRELATION_COLUMNS) {
            assertEquals(CallTable.CORRELATION, CallTable.forFilter(filter(Map.of(column, "k", "server", "jira"))));
            assertTrue(CallTable.TIME.canAnswer(filter(Map.of(column, "k"))), "the time-first copy holds every column");
        }
    }

    @Test
    void aNamedServerReadsTheCallsTableAndEveryFleetWideShapeTheTimeFirstCopy() {
        assertEquals(CallTable.SERVER_TOOL, CallTable.forFilter(filter(Map.of("server", "jira", "error_type", "x"))));
        for (String column : Set.of("tool", "server_version", "team", "source", "error_type")) {
            assertEquals(CallTable.TIME, CallTable.forFilter(filter(Map.of(column, "v"))), column);
        }
        assertEquals(CallTable.TIME, CallTable.forFilter(filter(Map.of())), "the unfiltered newest-first listing");
        assertEquals(CallTable.TIME, CallTable.forFilter(new CallFilter(Map.of(), Set.of(Outcome.TRANSPORT_ERROR),
                Optional.of(-32603), Optional.of(900.0), Optional.of(Set.of("jira", "github")), FROM,
                FROM.plusSeconds(3600))), "outcome, error code, least duration and a team's servers");
        assertFalse(CallTable.CORRELATION.canAnswer(filter(Map.of("team", "t"))), "the correlation copy needs its key");
        assertTrue(CallTable.SERVER_TOOL.canAnswer(filter(Map.of("user", "u"))), "calls holds every column");
    }
}

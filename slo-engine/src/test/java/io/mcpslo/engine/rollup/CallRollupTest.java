package io.mcpslo.engine.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallRollupTest {

    static CallEvent call(String ts, String tool, double durationMs, Outcome outcome) {
        var envelope = new EventEnvelope(UUID.randomUUID(), Instant.parse(ts), "gw", "github", "2.0", tool,
                "tools/call", null, null, null, null, null, null);
        return new CallEvent(envelope, durationMs, outcome, null, null, null, null);
    }

    @Test
    void windowBoundaryBelongsToTheNextMinute() {
        assertEquals(Instant.parse("2026-11-25T10:15:00Z"),
                CallRollup.keyOf(call("2026-11-25T10:15:59.999Z", "t", 1, Outcome.OK)).windowStart());
        assertEquals(Instant.parse("2026-11-25T10:16:00Z"),
                CallRollup.keyOf(call("2026-11-25T10:16:00.000Z", "t", 1, Outcome.OK)).windowStart());
        assertEquals(Instant.parse("1969-12-31T23:59:00Z"),
                RollupKey.windowStartOf(Instant.parse("1969-12-31T23:59:59.5Z")));
    }

    @Test
    void countsEveryOutcomeAndLatency() {
        CallEvent first = call("2026-11-25T10:15:01Z", "search_code_v2", 100, Outcome.OK);
        CallRollup rollup = CallRollup.empty(CallRollup.keyOf(first))
                .plus(first)
                .plus(call("2026-11-25T10:15:02Z", "search_code_v2", 300, Outcome.TOOL_ERROR))
                .plus(call("2026-11-25T10:15:03Z", "search_code_v2", 30_000, Outcome.TRANSPORT_ERROR))
                .plus(call("2026-11-25T10:15:04Z", "search_code_v2", 0, Outcome.DENIED))
                .plus(call("2026-11-25T10:15:05Z", "search_code_v2", 1, Outcome.RATE_LIMITED));
        assertEquals(new OutcomeCounts(1, 1, 1, 1, 1), rollup.counts());
        assertEquals(5, rollup.counts().calls());
        assertEquals(5, rollup.revision());
        assertEquals(30_401, rollup.latencySumMs(), 1e-9);
        assertEquals(30_000, rollup.latencyMaxMs());
        assertEquals(1, rollup.latency().zeroCount());
        assertEquals(5, rollup.latency().totalCount());
    }

    @Test
    void refusesACallOfAnotherCell() {
        CallEvent first = call("2026-11-25T10:15:01Z", "a", 1, Outcome.OK);
        CallRollup rollup = CallRollup.empty(CallRollup.keyOf(first));
        assertThrows(IllegalArgumentException.class, () -> rollup.plus(call("2026-11-25T10:16:01Z", "a", 1, Outcome.OK)));
        assertThrows(IllegalArgumentException.class, () -> rollup.plus(call("2026-11-25T10:15:01Z", "b", 1, Outcome.OK)));
        assertThrows(IllegalArgumentException.class, () -> rollup.plus(call("2026-11-25T10:14:59.999Z", "a", 1,
                Outcome.OK)));
        var otherServer = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:15:02Z"), "gw", "gitlab",
                "2.0", "a", "tools/call", null, null, null, null, null, null);
        assertThrows(IllegalArgumentException.class,
                () -> rollup.plus(new CallEvent(otherServer, 1, Outcome.OK, null, null, null, null)));
        var noVersion = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:15:02Z"), "gw", "github",
                null, "a", "tools/call", null, null, null, null, null, null);
        assertThrows(IllegalArgumentException.class,
                () -> rollup.plus(new CallEvent(noVersion, 1, Outcome.OK, null, null, null, null)));
        var noTool = new EventEnvelope(UUID.randomUUID(), Instant.parse("2026-11-25T10:15:02Z"), "gw", "github",
                "2.0", null, "a", null, null, null, null, null, null);
        assertEquals(1, rollup.plus(new CallEvent(noTool, 1, Outcome.OK, null, null, null, null)).counts().calls(),
                "a call naming no tool rolls up under its method");
    }

    @Test
    void latenessIsMeasuredAgainstStreamTime() {
        var policy = new LatenessPolicy(Duration.ofHours(6));
        Instant streamTime = Instant.parse("2026-11-25T12:00:00Z");
        assertTrue(policy.acceptsIntoRollup(Instant.parse("2026-11-25T06:00:00Z"), streamTime));
        assertFalse(policy.acceptsIntoRollup(Instant.parse("2026-11-25T05:59:59.999Z"), streamTime));
        var key = new RollupKey("s", "t", "", Instant.parse("2026-11-25T05:59:00Z"));
        assertTrue(policy.isFinal(key, streamTime));
        assertFalse(policy.isFinal(new RollupKey("s", "t", "", Instant.parse("2026-11-25T06:00:00Z")), streamTime));
    }
}

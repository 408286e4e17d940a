package io.mcpslo.storage.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyPercentileSli;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.TimeslicedSli;
import io.mcpslo.schemas.Outcome;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BadCallsTest {

    @Test
    void aTransportSloBurnsOnTransportFailuresAndDoesNotCountDenialsOrRateLimits() {
        BadCalls rule = BadCalls.of(new AvailabilitySli(FailureLocus.TRANSPORT, false, false));
        assertEquals(Set.of(Outcome.TRANSPORT_ERROR), rule.bad());
        assertEquals(Set.of(Outcome.OK, Outcome.TOOL_ERROR, Outcome.TRANSPORT_ERROR), rule.valid(),
                "a tool error ran fine from a transport SLO's point of view, so it is a good event");
        assertEquals(Optional.empty(), rule.overMs());
        assertTrue(rule.perCall());
    }

    @Test
    void denialsAndRateLimitsBurnOnlyWhenConfiguredTo() {
        BadCalls rule = BadCalls.of(new AvailabilitySli(FailureLocus.BOTH, true, true));
        assertEquals(EnumSet.allOf(Outcome.class), rule.valid());
        assertEquals(EnumSet.complementOf(EnumSet.of(Outcome.OK)), rule.bad());
        assertEquals(Set.of(Outcome.TOOL_ERROR), BadCalls.of(new AvailabilitySli(FailureLocus.TOOL, false, false)).bad());
    }

    @Test
    void aLatencySloBurnsOnEverySlowCallWhateverItsOutcome() {
        BadCalls rule = BadCalls.of(new LatencyThresholdSli(400));
        assertEquals(EnumSet.allOf(Outcome.class), rule.valid());
        assertEquals(Set.of(), rule.bad());
        assertEquals(Optional.of(400.0), rule.overMs());
        assertTrue(rule.perCall());
    }

    @Test
    void timesliceSlosListTheirSlowOrFailedCallsButCountTheirBudgetInMinutes() {
        BadCalls percentile = BadCalls.of(new LatencyPercentileSli(0.95, 800));
        assertEquals(Optional.of(800.0), percentile.overMs());
        assertFalse(percentile.perCall());
        assertEquals(Optional.of(new BadCalls.PercentileOver(0.95, 800)), percentile.badMinute());
        BadCalls sliced = BadCalls.of(new TimeslicedSli(new AvailabilitySli(FailureLocus.TOOL, false, false), 0.95));
        assertEquals(Set.of(Outcome.TOOL_ERROR), sliced.bad());
        assertFalse(sliced.perCall());
        assertEquals(Optional.of(new BadCalls.GoodShareBelow(0.95)), sliced.badMinute());
        assertEquals(Optional.empty(), BadCalls.of(new LatencyThresholdSli(400)).badMinute());
    }
}

package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.replay.SloReplay;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * A week evaluated live by the real topology (minute by minute on a simulated wall clock), then evaluated again by
 * {@link SloReplay} from nothing but the rollups the pipeline emitted, as a weekly report does from storage: the
 * budget at the week's end, the budget the week spent, the peak burn rates and the alerts agree.
 */
class LiveAndReplayedWeekTest {

    /** Monday of 2026-W47; the live run starts a day before, so the window holds more than the week. */
    private static final Instant WEEK = Instant.parse("2026-11-16T00:00:00Z");
    private static final Instant START = WEEK.minus(Duration.ofDays(1));
    private static final Instant END = WEEK.plus(Duration.ofDays(7));
    private static final Duration HALF_MINUTE = Duration.ofSeconds(30);
    private static final int CALLS_PER_MINUTE = 6;
    private static final RollingWindow WINDOW = new RollingWindow(Duration.ofDays(30));
    /** The Workbook's rules for 30 days, as an SLO file without an alerting section gets. */
    private static final SloDefinition GITHUB = new SloDefinition("github-transport", "devtools", "",
            new SloScope("github", null, null), new AvailabilitySli(FailureLocus.TRANSPORT, false, false),
            new Objective(0.99), WINDOW, AlertPolicy.defaultsFor(WINDOW));

    private static final class MovableClock extends Clock {
        private Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The share of github calls that fail at a minute: a low background, a sharp outage, a slow day. */
    private static double failureShare(Instant minute) {
        Duration sinceWeek = Duration.between(WEEK, minute);
        long hours = sinceWeek.toHours();
        if (hours == 2 * 24 + 10 && sinceWeek.toMinutesPart() < 40) {
            return 0.5; // Wednesday 10:00-10:40: half the calls fail, a page
        }
        if (hours >= 4 * 24 + 8 && hours < 4 * 24 + 20) {
            return 0.04; // Friday 08:00-20:00: 4 %, a slow burn
        }
        return 0.002;
    }

    @Test
    void aWeekReplayedFromItsRollupsHasTheBudgetBurnRatesAndAlertsOfItsLiveEvaluation() throws Exception {
        MovableClock clock = new MovableClock();
        var options = new PipelineTopology.Options(clock, new LatenessPolicy(Duration.ofHours(6)), Duration.ofSeconds(1),
                Duration.ofMinutes(5), new SimpleMeterRegistry(), () -> List.of(GITHUB), Duration.ofMinutes(1), false,
                PipelineTopologyTest.TEST_AUDIT, new InMemorySloHistory(), Runnable::run);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "live-and-replayed-week");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-week").toString());
        List<SloStatus> snapshots = new ArrayList<>();
        List<AlertTransition> transitions = new ArrayList<>();
        InMemorySloHistory stored = new InMemorySloHistory();
        Random random = new Random(47);
        try (TopologyTestDriver driver = new TopologyTestDriver(PipelineTopology.build(options), props, START)) {
            TestInputTopic<String, byte[]> events = driver.createInputTopic(Topics.EVENTS.name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, CallRollup> rollups = driver.createOutputTopic(Topics.ROLLUPS.name(),
                    new StringDeserializer(), Topics.ROLLUPS.valueSerde().deserializer());
            TestOutputTopic<String, AlertTransition> alerts = driver.createOutputTopic(Topics.ALERTS.name(),
                    new StringDeserializer(), Topics.ALERTS.valueSerde().deserializer());
            TestOutputTopic<String, SloStatus> statuses = driver.createOutputTopic(Topics.SLO_STATUS.name(),
                    new StringDeserializer(), Topics.SLO_STATUS.valueSerde().deserializer());
            // each minute: its calls, then half a minute (the rollup goes out), then the evaluation at the boundary
            while (clock.now.isBefore(END.plus(Duration.ofMinutes(2)))) {
                double share = failureShare(clock.now);
                for (int i = 0; i < CALLS_PER_MINUTE; i++) {
                    String json = """
                            {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github",\
                            "server_version":"1.0","tool":"search","method":"tools/call","duration_ms":12,\
                            "outcome":"%s"}""".formatted(UUID.randomUUID(), clock.now.plusSeconds(i * 10L),
                            random.nextDouble() < share ? "transport_error" : "ok");
                    events.pipeInput("github|search", json.getBytes(StandardCharsets.UTF_8));
                }
                for (int half = 0; half < 2; half++) {
                    clock.now = clock.now.plus(HALF_MINUTE);
                    driver.advanceWallClockTime(HALF_MINUTE);
                }
                snapshots.addAll(statuses.readValuesToList());
                transitions.addAll(alerts.readValuesToList());
                rollups.readValuesToList().forEach(stored::store);
            }
        }

        SloReplay.Result replayed = SloReplay.replay(GITHUB,
                stored.minutes(GITHUB.scope(), SloReplay.historyStart(GITHUB, WEEK), END, false), WEEK, END);

        List<SloStatus> week = snapshots.stream().filter(s -> !s.at().isBefore(WEEK) && s.at().isBefore(END)).toList();
        assertTrue(week.size() >= 7 * 24 * 60 - 1, "a snapshot a minute: " + week.size());
        for (String window : List.of("1h", "6h", "1d")) {
            double livePeak = week.stream().mapToDouble(s -> s.burnRates().get(window)).max().orElseThrow();
            assertEquals(livePeak, replayed.peakBurnRates().get(window), 0.05, "peak burn " + window);
        }
        assertTrue(replayed.peakBurnRates().get("1h") > 14.4, "the outage burned fast: " + replayed.peakBurnRates());

        SloStatus lastLive = week.get(week.size() - 1);
        assertEquals(lastLive.budget().consumedFraction(), replayed.atEnd().budget().consumedFraction(), 0.0005,
                "budget used over the window at the week's end");
        EventCounts weekEvents = replayed.period();
        double liveThisWeek = weekEvents.bad() / lastLive.budget().allowedBad();
        assertEquals(liveThisWeek, replayed.budgetConsumedInPeriod(), 0.0005, "budget used this week");
        assertEquals(7 * 24 * 60 * CALLS_PER_MINUTE, weekEvents.total(), "every call of the week, once");

        List<AlertTransition> firedLive = transitions.stream()
                .filter(t -> t.to() == AlertStatus.FIRING && !t.at().isBefore(WEEK) && t.at().isBefore(END)).toList();
        assertFalse(firedLive.isEmpty(), "the outage paged live");
        assertEquals(firedLive.stream().map(t -> t.kind() + "@" + t.at()).toList(),
                replayed.alerts().stream().map(a -> a.kind() + "@" + a.firedAt()).toList(),
                "the replayed rules fire what fired live, at the same minute");
        for (SloReplay.ReplayedAlert alert : replayed.alerts()) {
            AlertTransition resolvedLive = transitions.stream().filter(t -> t.to() == AlertStatus.RESOLVED
                    && t.kind() == alert.kind() && t.incidentStart().equals(alert.firedAt())).findFirst().orElse(null);
            Instant resolvedInWeek = resolvedLive == null || !resolvedLive.at().isBefore(END) ? null : resolvedLive.at();
            assertEquals(resolvedInWeek, alert.resolvedAt(), alert.toString());
        }
    }
}

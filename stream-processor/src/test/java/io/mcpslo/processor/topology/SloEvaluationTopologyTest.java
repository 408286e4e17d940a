package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SLO evaluation stream, fed with raw events second by second on a simulated wall clock. */
class SloEvaluationTopologyTest {

    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final int CALLS_PER_SECOND = 10;

    /** A clock the validator reads, moved together with the driver's wall clock. */
    private static final class SteppedClock extends Clock {
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

    private final SteppedClock clock = new SteppedClock();
    private final AtomicReference<List<SloDefinition>> slos = new AtomicReference<>(List.of(transportSlo("github-transport")));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, AlertTransition> alerts;
    private TestOutputTopic<String, SloStatus> statuses;

    private static SloDefinition transportSlo(String id) {
        // a 10-minute / 1-minute pair at burn rate 10 on a 99 % objective: pages once 10 % of calls fail
        var policy = new AlertPolicy(List.of(new MultiWindowRule(Severity.PAGE, Duration.ofMinutes(10),
                Duration.ofMinutes(1), 10)), 0, 3, Duration.ZERO, false);
        return new SloDefinition(id, "devtools", "", new SloScope("github", null, null),
                new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99),
                new RollingWindow(Duration.ofHours(1)), policy);
    }

    @BeforeEach
    void start() throws Exception {
        var options = new PipelineTopology.Options(clock, new LatenessPolicy(Duration.ofHours(6)), SECOND,
                Duration.ofMinutes(5), registry, slos::get, SECOND, false, PipelineTopologyTest.TEST_AUDIT,
                new InMemorySloHistory(), Runnable::run);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "slo-evaluation-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-slo").toString());
        driver = new TopologyTestDriver(PipelineTopology.build(options), props, START);
        events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                Topics.ALERTS.valueSerde().deserializer());
        statuses = driver.createOutputTopic(Topics.SLO_STATUS.name(), new StringDeserializer(),
                Topics.SLO_STATUS.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** One second of traffic at the current time, then the wall clock moves on by a second. */
    private void second(String server, String outcome) {
        for (int i = 0; i < CALLS_PER_SECOND; i++) {
            String json = """
                    {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"%s","server_version":"1.0",\
                    "tool":"search","method":"tools/call","duration_ms":12,"outcome":"%s"}"""
                    .formatted(UUID.randomUUID(), clock.now.plusMillis(i * 90L), server, outcome);
            events.pipeInput(server + "|search", json.getBytes(StandardCharsets.UTF_8));
        }
        clock.now = clock.now.plus(SECOND);
        driver.advanceWallClockTime(SECOND);
    }

    private void seconds(int count, String server, String outcome) {
        for (int i = 0; i < count; i++) {
            second(server, outcome);
        }
    }

    @Test
    void anOutagePagesWithinSecondsOfItsThresholdAndResolvesOnceWithTheSameDedupKey() {
        seconds(5 * 60, "github", "ok");
        Instant outageStart = clock.now;
        seconds(2 * 60, "github", "transport_error");
        seconds(12 * 60, "github", "ok");

        List<AlertTransition> transitions = alerts.readValuesToList();
        assertEquals(List.of(AlertStatus.FIRING, AlertStatus.RESOLVED),
                transitions.stream().map(AlertTransition::to).toList(),
                transitions.stream().map(t -> t.at() + " " + t.to()).toList().toString());
        AlertTransition fired = transitions.get(0);
        assertEquals(AlertKind.PAGE, fired.kind());
        assertEquals(fired.dedupKey(), transitions.get(1).dedupKey());
        // 10 % of a 10-minute window holding 5 minutes of good calls: 300 bad seconds' worth / 9 → 34 s of outage,
        // then up to a second for the rollup to be emitted and a second for the evaluation
        long detectedAfter = Duration.between(outageStart, fired.at()).toSeconds();
        assertTrue(detectedAfter >= 33 && detectedAfter <= 37, "paged " + detectedAfter + " s into the outage");
        assertEquals("github-transport", fired.sloId());
        assertEquals("page-10m-1m", fired.rule());
    }

    @Test
    void theTimeBetweenEvaluationsIsMeasured() {
        seconds(5, "github", "ok");
        driver.advanceWallClockTime(SECOND.multipliedBy(3)); // a stall: one evaluation three seconds after the last
        var gaps = registry.get("mcp_processor_slo_evaluation_gap").timer();
        assertTrue(gaps.count() >= 5, "an evaluation a second, was " + gaps.count());
        assertEquals(3.0, gaps.max(java.util.concurrent.TimeUnit.SECONDS), 1e-9, "the longest gap");
    }

    @Test
    void statusSnapshotsComeOncePerMinuteWithTheBudgetAndBurnRates() {
        seconds(3 * 60 + 5, "github", "ok");
        seconds(10, "github", "transport_error");
        List<SloStatus> snapshots = statuses.readValuesToList();
        assertTrue(snapshots.size() >= 3 && snapshots.size() <= 5, snapshots.size() + " snapshots in 3 minutes");
        SloStatus latest = snapshots.get(snapshots.size() - 1);
        assertEquals("github-transport", latest.sloId());
        assertTrue(latest.budget().events().total() > 1500, latest.budget().toString());
        assertEquals(1.0, latest.sli(), 1e-9, "the latest snapshot was taken before the failures");
        assertEquals(java.util.Set.of("5m", "30m", "1h", "2h", "6h", "1d", "3d"), latest.burnRates().keySet());
    }

    @Test
    void anSloAddedLaterStartsWithTheRecentRollupsAndOtherServersStayOutOfItsScope() {
        seconds(120, "github", "ok");
        seconds(60, "jira", "transport_error");
        slos.set(List.of(transportSlo("github-transport"), transportSlo("github-transport-copy")));
        seconds(2, "github", "ok");
        SloStatus copy = statuses.readValuesToList().stream()
                .filter(status -> status.sloId().equals("github-transport-copy")).findFirst().orElseThrow();
        assertTrue(copy.budget().events().good() >= 120 * CALLS_PER_SECOND, copy.budget().toString());
        assertEquals(0, copy.budget().events().bad(), "jira's failures are not github's");
    }

    @Test
    void anSloRemovedWhileItsPageFiresResolvesThePageSoNoIncidentStaysOpen() {
        seconds(60, "github", "ok");
        seconds(40, "github", "transport_error");
        AlertTransition fired = alerts.readValuesToList().stream().filter(t -> t.to() == AlertStatus.FIRING)
                .findFirst().orElseThrow();
        slos.set(List.of());
        seconds(2, "github", "transport_error");
        List<AlertTransition> after = alerts.readValuesToList();
        assertEquals(List.of(AlertStatus.RESOLVED), after.stream().map(AlertTransition::to).toList(), after.toString());
        assertEquals(fired.dedupKey(), after.get(0).dedupKey());
        assertEquals("devtools", after.get(0).team(), "the team routes the resolve to the receivers of the trigger");
        assertTrue(after.get(0).summary().contains("was removed from the SLO files"));
        seconds(2, "github", "transport_error");
        assertTrue(alerts.isEmpty(), "resolved once");
    }

    @Test
    void tenThousandDistinctToolsInOneMinuteAreCountedWholeWithoutSummingTheMinuteAgainPerRollup() {
        int tools = 10_000;
        seconds(2, "github", "ok");
        double rescansBefore = registry.counter("mcp_processor_slo_minute_rescans").count();
        // every tool once ok, then (a second revision of each tool's rollup) once failing: one minute, 10,000 keys
        for (String outcome : List.of("ok", "transport_error")) {
            for (int i = 0; i < tools; i++) {
                String json = """
                        {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github",\
                        "server_version":"1.0","tool":"tool_%05d","method":"tools/call","duration_ms":12,\
                        "outcome":"%s"}""".formatted(UUID.randomUUID(), clock.now, i, outcome);
                events.pipeInput("github|tool_" + i, json.getBytes(StandardCharsets.UTF_8));
            }
            clock.now = clock.now.plus(SECOND);
            driver.advanceWallClockTime(SECOND);
        }
        seconds(60, "jira", "ok");

        SloStatus latest = statuses.readValuesToList().stream()
                .filter(status -> status.sloId().equals("github-transport")).reduce((a, b) -> b).orElseThrow();
        assertEquals(tools, latest.budget().events().bad(), latest.budget().toString());
        assertEquals(2 * CALLS_PER_SECOND + tools, latest.budget().events().good(), latest.budget().toString());
        assertEquals(0, registry.counter("mcp_processor_slo_minute_rescans").count() - rescansBefore,
                "each of the 20,000 rollup revisions updated its minute in place, none summed the minute again");
    }
}

package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A processor that starts with no local state rebuilds its SLOs from stored history: the same numbers as a run
 * that saw every rollup live, no minute counted twice, and alerts that were open carried on or resolved.
 */
class SloHistorySeedingTopologyTest {

    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);
    /** Short, so that the first minutes of a test are settled (read summed) and the later ones still live. */
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final SloDefinition GITHUB_30D = new SloDefinition("github-transport", "devtools", "",
            new SloScope("github", null, null), new AvailabilitySli(FailureLocus.TRANSPORT, false, false),
            new Objective(0.99), new RollingWindow(Duration.ofDays(30)),
            new AlertPolicy(List.of(new MultiWindowRule(Severity.PAGE, Duration.ofMinutes(10), Duration.ofMinutes(1),
                    10)), 0, 3, Duration.ZERO, false));

    /** One processor's run: its driver, a wall clock moved with it, and what it published. */
    private static final class Run implements AutoCloseable {
        private final MovableClock clock;
        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        private final TopologyTestDriver driver;
        private final TestInputTopic<String, byte[]> events;
        private final TestOutputTopic<String, CallRollup> rollups;
        private final TestOutputTopic<String, AlertTransition> alerts;
        private final TestOutputTopic<String, SloStatus> statuses;
        private final List<SloStatus> published = new ArrayList<>();
        private final List<AlertTransition> transitions = new ArrayList<>();
        private final List<byte[]> sent = new ArrayList<>();
        private final List<Instant> sentAt = new ArrayList<>();

        Run(Instant start, SloHistory history) throws Exception {
            clock = new MovableClock(start);
            var options = new PipelineTopology.Options(clock, new LatenessPolicy(LATENESS), SECOND,
                    Duration.ofMinutes(5), registry, () -> List.of(GITHUB_30D), SECOND, false,
                    PipelineTopologyTest.TEST_AUDIT, history, Runnable::run);
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "slo-history-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            // a fresh state folder each run: nothing of an earlier run survives but what storage holds
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-history").toString());
            driver = new TopologyTestDriver(PipelineTopology.build(options), props, start);
            events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
            rollups = driver.createOutputTopic(Topics.ROLLUPS.name(), new StringDeserializer(),
                    Topics.ROLLUPS.valueSerde().deserializer());
            alerts = driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                    Topics.ALERTS.valueSerde().deserializer());
            statuses = driver.createOutputTopic(Topics.SLO_STATUS.name(), new StringDeserializer(),
                    Topics.SLO_STATUS.valueSerde().deserializer());
        }

        /** One second: {@code calls} calls to the server, {@code failed} of them transport errors; then a tick. */
        void second(String server, int calls, int failed) {
            for (int i = 0; i < calls; i++) {
                String json = """
                        {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"%s","server_version":"1.0",\
                        "tool":"search","method":"tools/call","duration_ms":12,"outcome":"%s"}"""
                        .formatted(UUID.randomUUID(), clock.now.plusMillis(i * 90L), server,
                                i < failed ? "transport_error" : "ok");
                byte[] event = json.getBytes(StandardCharsets.UTF_8);
                events.pipeInput(server + "|search", event);
                sent.add(event);
                sentAt.add(clock.now);
            }
            tick();
        }

        void seconds(int count, String server, int calls, int failed) {
            for (int i = 0; i < count; i++) {
                second(server, calls, failed);
            }
        }

        void tick() {
            clock.now = clock.now.plus(SECOND);
            driver.advanceWallClockTime(SECOND);
            published.addAll(statuses.readValuesToList());
            transitions.addAll(alerts.readValuesToList());
        }

        void quietUntil(Instant instant) {
            while (clock.now.isBefore(instant)) {
                tick();
            }
        }

        /** Sends again, as a replay after a crash would, every event this run sent at or after {@code from}. */
        void replayInto(Run other, Instant from) {
            for (int i = 0; i < sent.size(); i++) {
                if (!sentAt.get(i).isBefore(from)) {
                    other.events.pipeInput("github|search", sent.get(i));
                }
            }
        }

        SloStatus statusAt(Instant at) {
            return published.stream().filter(status -> status.at().equals(at)).findFirst()
                    .orElseThrow(() -> new AssertionError("no status at " + at + " in " + published.stream()
                            .map(SloStatus::at).toList()));
        }

        double counter(String name) {
            return registry.get(name).counter().count();
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

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

    private final List<Run> runs = new ArrayList<>();

    private Run run(Instant start, SloHistory history) throws Exception {
        Run run = new Run(start, history);
        runs.add(run);
        return run;
    }

    @AfterEach
    void closeRuns() {
        runs.forEach(Run::close);
    }

    /** Twenty minutes of github traffic with two bursts of failures, jira failing all along (out of scope). */
    private static void traffic(Run live) {
        for (int minute = 0; minute < 20; minute++) {
            boolean burst = minute == 4 || minute == 5 || minute == 16;
            for (int second = 0; second < 60; second++) {
                live.second("github", 5, burst ? 2 : 0);
                if (second % 10 == 0) {
                    live.events.pipeInput("jira|search", ("""
                            {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"jira",\
                            "tool":"search","method":"tools/call","duration_ms":12,"outcome":"transport_error"}""")
                            .formatted(UUID.randomUUID(), live.clock.now).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static InMemorySloHistory storedFrom(Run live) {
        InMemorySloHistory stored = new InMemorySloHistory();
        live.rollups.readValuesToList().forEach(stored::store);
        return stored;
    }

    private static void assertSameNumbers(SloStatus expected, SloStatus actual) {
        assertEquals(expected.budget().events(), actual.budget().events(), "good and bad events in the window");
        assertEquals(expected.sli(), actual.sli(), 1e-12);
        assertEquals(expected.budget().consumedFraction(), actual.budget().consumedFraction(), 1e-12);
        assertEquals(expected.budget().remainingFraction(), actual.budget().remainingFraction(), 1e-12);
        assertEquals(expected.budget().timeToExhaustion(), actual.budget().timeToExhaustion());
        assertEquals(expected.burnRates().keySet(), actual.burnRates().keySet());
        expected.burnRates().forEach((window, rate) ->
                assertEquals(rate, actual.burnRates().get(window), 1e-12, "burn rate " + window));
    }

    @Test
    void aRestartWithoutLocalStateComputesTheBudgetAndBurnRatesOfTheRunThatSawEveryRollupLive() throws Exception {
        Run live = run(START, new InMemorySloHistory());
        traffic(live);
        Instant restart = START.plus(Duration.ofMinutes(22));
        live.quietUntil(restart.plus(Duration.ofMinutes(3)).plus(SECOND));
        SloStatus expected = live.statusAt(restart.plus(Duration.ofMinutes(3)));
        assertTrue(expected.budget().events().bad() > 0 && expected.burnRates().get("1h") > 0, expected.toString());

        Run restarted = run(restart, storedFrom(live));
        // the minutes still within the lateness come again through Kafka, one of them in part: each counts once
        live.replayInto(restarted, START.plus(Duration.ofMinutes(15)).plusSeconds(30));
        restarted.quietUntil(restart.plus(Duration.ofMinutes(3)).plus(SECOND));

        assertSameNumbers(expected, restarted.statusAt(restart.plus(Duration.ofMinutes(3))));
        assertSameNumbers(live.statusAt(restart.plus(Duration.ofMinutes(1))),
                restarted.statusAt(restart.plus(Duration.ofMinutes(1))));
    }

    @Test
    void aPageOpenInStorageIsCarriedOnWithoutPagingAgainAndResolvesUnderItsOwnDedupKey() throws Exception {
        Run live = run(START, new InMemorySloHistory());
        live.seconds(5 * 60, "github", 5, 0);
        live.seconds(60, "github", 5, 5);
        AlertTransition fired = live.transitions.stream().filter(t -> t.to() == AlertStatus.FIRING).findFirst()
                .orElseThrow(() -> new AssertionError("the outage did not page: " + live.transitions));
        InMemorySloHistory stored = storedFrom(live);
        stored.storeTransition(GITHUB_30D.id(), AlertKind.PAGE, AlertStatus.FIRING, fired.at(), fired.dedupKey());

        Run restarted = run(live.clock.now, stored);
        restarted.seconds(30, "github", 5, 5);
        assertEquals(List.of(), restarted.transitions, "the page still holds: no second page");
        restarted.seconds(3 * 60, "github", 5, 0);
        assertEquals(List.of(AlertStatus.RESOLVED), restarted.transitions.stream().map(AlertTransition::to).toList());
        assertEquals(fired.dedupKey(), restarted.transitions.get(0).dedupKey());
    }

    @Test
    void aTicketLeftOpenInStorageResolvesWhenTheSloHasNoData() throws Exception {
        InMemorySloHistory stored = new InMemorySloHistory();
        String dedupKey = "mcp-slo:github-transport:ticket:1764000000";
        stored.storeTransition(GITHUB_30D.id(), AlertKind.TICKET, AlertStatus.FIRING, START.minus(Duration.ofHours(2)),
                dedupKey);

        Run restarted = run(START, stored);
        restarted.tick();

        SloStatus status = restarted.published.get(0);
        assertNull(status.sli(), "no call in the window");
        assertFalse(status.ticketCondition());
        assertEquals(1, restarted.transitions.size(), restarted.transitions.toString());
        AlertTransition resolved = restarted.transitions.get(0);
        assertEquals(AlertKind.TICKET, resolved.kind());
        assertEquals(AlertStatus.RESOLVED, resolved.to());
        assertEquals(dedupKey, resolved.dedupKey());
    }

    @Test
    void withStorageDownAtStartTheSloIsEvaluatedOnWhatItSeesAndItsHistoryIsReadOnceStorageAnswers()
            throws Exception {
        Run live = run(START, new InMemorySloHistory());
        live.seconds(3 * 60, "github", 5, 1);
        InMemorySloHistory stored = storedFrom(live);
        stored.unreachable(true);

        Run restarted = run(live.clock.now, stored);
        restarted.seconds(65, "github", 5, 0);
        assertTrue(restarted.published.size() >= 2, "evaluated while storage is down");
        assertEquals(1.0, restarted.published.get(restarted.published.size() - 1).sli(), 1e-12,
                "only the calls seen since the start");
        assertTrue(restarted.counter("mcp_processor_slo_history_read_failures") >= 1);

        stored.unreachable(false);
        restarted.seconds((int) SloEvaluationProcessor.HISTORY_RETRY.toSeconds() + 60, "github", 5, 0);
        SloStatus after = restarted.published.get(restarted.published.size() - 1);
        assertEquals(3 * 60, after.budget().events().bad(), "the stored minutes' failures are back: " + after);
    }
}

package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.sketch.LatencySketch;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipelineTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration EMIT = Duration.ofSeconds(1);

    static final PipelineTopology.AuditChainSettings TEST_AUDIT = new PipelineTopology.AuditChainSettings(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), 3, Duration.ofMinutes(1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, CallRollup> rollups;
    private TestOutputTopic<String, CallEvent> calls;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() throws Exception {
        var options = new PipelineTopology.Options(Clock.fixed(NOW, ZoneOffset.UTC),
                new LatenessPolicy(Duration.ofHours(6)), EMIT, Duration.ofMinutes(5), registry, List::of, EMIT, false, TEST_AUDIT,
                new InMemorySloHistory(), Runnable::run);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-tt").toString());
        driver = new TopologyTestDriver(PipelineTopology.build(options), props, NOW);
        events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
        rollups = driver.createOutputTopic(Topics.ROLLUPS.name(), new StringDeserializer(),
                Topics.ROLLUPS.valueSerde().deserializer());
        calls = driver.createOutputTopic(Topics.CALLS.name(), new StringDeserializer(),
                Topics.CALLS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static String call(String eventId, Instant ts, String tool, double durationMs, String outcome) {
        return """
                {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","server_version":"2.0",
                 "tool":"%s","method":"tools/call","duration_ms":%s,"outcome":"%s"}"""
                .formatted(eventId, ts, tool, durationMs, outcome).replace("\n", "");
    }

    private void send(String json) {
        events.pipeInput("github|x", json.getBytes(StandardCharsets.UTF_8));
    }

    private void sendCall(Instant ts, String tool, double durationMs, String outcome) {
        send(call(UUID.randomUUID().toString(), ts, tool, durationMs, outcome));
    }

    /** The latest emitted rollup per minute of one tool. */
    private Map<Instant, CallRollup> latestRollups(String tool) {
        Map<Instant, CallRollup> latest = new HashMap<>();
        for (var record : rollups.readKeyValuesToList()) {
            if (record.value.key().tool().equals(tool)) {
                latest.merge(record.value.windowStart(), record.value,
                        (a, b) -> b.revision() >= a.revision() ? b : a);
            }
        }
        return latest;
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void windowBoundariesSplitAtTheMinute() {
        sendCall(Instant.parse("2026-11-25T11:58:59.999Z"), "t", 10, "ok");
        sendCall(Instant.parse("2026-11-25T11:59:00.000Z"), "t", 20, "ok");
        sendCall(Instant.parse("2026-11-25T11:59:59.999Z"), "t", 30, "tool_error");
        driver.advanceWallClockTime(EMIT);
        Map<Instant, CallRollup> byMinute = latestRollups("t");
        assertEquals(2, byMinute.size());
        assertEquals(new OutcomeCounts(1, 0, 0, 0, 0), byMinute.get(Instant.parse("2026-11-25T11:58:00Z")).counts());
        assertEquals(new OutcomeCounts(1, 1, 0, 0, 0), byMinute.get(Instant.parse("2026-11-25T11:59:00Z")).counts());
    }

    @Test
    void rollupsAreEmittedWhenTrafficStopsWithoutWaitingForALaterEvent() {
        sendCall(Instant.parse("2026-11-25T11:59:30Z"), "quiet", 5, "ok");
        assertTrue(rollups.isEmpty(), "nothing before the emit interval passes");
        driver.advanceWallClockTime(EMIT);
        assertEquals(1, latestRollups("quiet").size());
        driver.advanceWallClockTime(EMIT);
        assertTrue(rollups.isEmpty(), "an unchanged window is not re-emitted");
    }

    @Test
    void shuffledEventsSpanningAnHourLandInTheirOwnMinutes() {
        Random random = new Random(7);
        Instant start = Instant.parse("2026-11-25T10:30:00Z");
        List<String> batch = new ArrayList<>();
        Map<Instant, long[]> expected = new HashMap<>(); // minute -> {calls, transportErrors}
        Map<Instant, LatencySketch> expectedSketches = new HashMap<>();
        for (int minute = 0; minute < 60; minute++) {
            Instant windowStart = start.plus(Duration.ofMinutes(minute));
            int count = 5 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                Instant ts = windowStart.plusMillis(random.nextInt(60_000));
                double latency = Math.exp(Math.log(80) + random.nextGaussian());
                boolean failed = random.nextInt(10) == 0;
                batch.add(call(UUID.randomUUID().toString(), ts, "search_code_v2", latency,
                        failed ? "transport_error" : "ok"));
                long[] totals = expected.computeIfAbsent(windowStart, k -> new long[2]);
                totals[0]++;
                totals[1] += failed ? 1 : 0;
                expectedSketches.computeIfAbsent(windowStart, k -> LatencySketch.empty()).record(latency);
            }
        }
        Collections.shuffle(batch, random);
        for (int i = 0; i < batch.size(); i++) {
            send(batch.get(i));
            if (i % 97 == 0) {
                driver.advanceWallClockTime(EMIT);
            }
        }
        driver.advanceWallClockTime(EMIT);

        Map<Instant, CallRollup> byMinute = latestRollups("search_code_v2");
        assertEquals(60, byMinute.size());
        for (var entry : expected.entrySet()) {
            CallRollup rollup = byMinute.get(entry.getKey());
            assertEquals(entry.getValue()[0], rollup.counts().calls(), "calls at " + entry.getKey());
            assertEquals(entry.getValue()[1], rollup.counts().transportError(), "errors at " + entry.getKey());
            assertEquals(expectedSketches.get(entry.getKey()).toBins(), rollup.latency());
        }
        assertEquals(0, counter("mcp_processor_calls_too_late"));
    }

    @Test
    void lateEventWithinTheAllowedLatenessLandsInItsOwnMinute() {
        sendCall(Instant.parse("2026-11-25T11:59:00Z"), "t", 10, "ok");
        Instant fiveHoursEarlier = Instant.parse("2026-11-25T06:59:30Z");
        sendCall(fiveHoursEarlier, "t", 10, "denied");
        driver.advanceWallClockTime(EMIT);
        CallRollup late = latestRollups("t").get(Instant.parse("2026-11-25T06:59:00Z"));
        assertNotNull(late, "the late event has a rollup of its own minute");
        assertEquals(1, late.counts().denied());
        assertEquals(0, counter("mcp_processor_calls_too_late"));
    }

    @Test
    void eventBeyondTheAllowedLatenessIsStoredRawAndCountedButNotRolledUp() {
        sendCall(Instant.parse("2026-11-25T11:59:00Z"), "t", 10, "ok");
        String tooLateId = UUID.randomUUID().toString();
        send(call(tooLateId, Instant.parse("2026-11-25T05:58:00Z"), "t", 10, "ok"));
        driver.advanceWallClockTime(EMIT);
        Map<Instant, CallRollup> byMinute = latestRollups("t");
        assertFalse(byMinute.containsKey(Instant.parse("2026-11-25T05:58:00Z")));
        assertEquals(1, counter("mcp_processor_calls_too_late"));
        assertTrue(calls.readValuesToList().stream().anyMatch(c -> c.envelope().eventId().toString().equals(tooLateId)),
                "the too-late call still reaches the calls topic, which is stored raw");
    }

    @Test
    void resendWithinTheDedupHorizonCountsOnceAfterStreamTimeMoved() {
        String id = UUID.randomUUID().toString();
        String event = call(id, Instant.parse("2026-11-25T11:40:10Z"), "t", 10, "ok");
        send(event);
        sendCall(Instant.parse("2026-11-25T11:54:00Z"), "other", 10, "ok");
        send(event);
        driver.advanceWallClockTime(EMIT);
        assertEquals(1, latestRollups("t").get(Instant.parse("2026-11-25T11:40:00Z")).counts().calls());
        assertEquals(1, counter("mcp_processor_calls_duplicate"));
    }

    /** The dedup state is bounded by the horizon: ids older than it are dropped, and a resend that late counts again. */
    @Test
    void rememberedIdsAreBoundedByTheDedupHorizon() {
        Instant early = Instant.parse("2026-11-25T10:00:05Z");
        String resentLate = call(UUID.randomUUID().toString(), early, "t", 10, "ok");
        send(resentLate);
        for (int i = 0; i < 100; i++) {
            sendCall(early, "t", 10, "ok");
        }
        assertEquals(101L, rememberedIds());
        Instant muchLater = early.plus(PipelineTopology.Options.DEFAULT_DEDUP_HORIZON.multipliedBy(4));
        sendCall(muchLater, "u", 10, "ok");
        assertEquals(1L, rememberedIds(), "ids older than three horizons of stream time are dropped");
        send(resentLate);
        driver.advanceWallClockTime(EMIT);
        assertEquals(102, latestRollups("t").get(Instant.parse("2026-11-25T10:00:00Z")).counts().calls(),
                "a resend later than the horizon (and within the lateness) counts again, as documented");
        assertEquals(0, counter("mcp_processor_calls_duplicate"));
    }

    private long rememberedIds() {
        driver.advanceWallClockTime(EMIT);
        return ((SeenIdsStore) driver.getStateStore(RollupProcessor.SEEN_STORE)).count();
    }

    @Test
    void replayedEventCountsOnce() {
        String id = UUID.randomUUID().toString();
        String event = call(id, Instant.parse("2026-11-25T11:59:10Z"), "t", 10, "ok");
        send(event);
        send(event);
        driver.advanceWallClockTime(EMIT);
        send(event);
        driver.advanceWallClockTime(EMIT);
        CallRollup rollup = latestRollups("t").get(Instant.parse("2026-11-25T11:59:00Z"));
        assertEquals(1, rollup.counts().calls());
        assertEquals(2, counter("mcp_processor_calls_duplicate"));
    }

    @Test
    void invalidEventsGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        send("{not json");
        send(call("not-a-uuid", Instant.parse("2026-11-25T11:59:10Z"), "t", 10, "ok"));
        sendCall(Instant.parse("2026-11-25T11:59:10Z"), "t", 10, "ok");
        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertEquals(2, letters.size());
        JsonNode malformed = EventCodec.MAPPER.readTree(letters.get(0).value());
        assertTrue(malformed.get("error").asText().contains("malformed JSON"), malformed.toString());
        assertEquals("{not json", malformed.get("original").asText());
        assertEquals(Topics.EVENTS.name(), malformed.get("topic").asText());
        JsonNode badId = EventCodec.MAPPER.readTree(letters.get(1).value());
        assertEquals("event_id", badId.get("violations").get(0).get("field").asText());
        assertNotNull(letters.get(1).headers().lastHeader("mcp.dlq.reason"));
        assertEquals(1, calls.readValuesToList().size(), "the valid event still flows");
        assertEquals(2, counter("mcp_processor_dead_letters"));
    }

    @Test
    void callsAreKeyedByServerAndToolWhateverKeyTheyArrivedWith() {
        sendCall(Instant.parse("2026-11-25T11:59:10Z"), "search_code_v1", 10, "ok");
        assertEquals("github|search_code_v1", calls.readRecord().key());
    }
}

package io.mcpslo.allinone.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.clickhouse.storage.ClickHousePipelineStore;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.EventValidator;
import io.mcpslo.schemas.ValidationOutcome;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bulk import into a real ClickHouse: what it stores raw, what it rolls up, and what it leaves alone. */
class BulkImportIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final Instant PAST = NOW.minus(Duration.ofDays(2));
    private ClickHouseClient clickHouse;
    private ClickHousePipelineStore store;

    @BeforeEach
    void start() {
        clickHouse = ClickHouseTestSupport.freshDatabase("bulk_import");
        store = new ClickHousePipelineStore(clickHouse, Clock.systemUTC());
        store.prepare();
    }

    @AfterEach
    void stop() {
        ClickHouseTestSupport.drop(clickHouse);
    }

    private static String call(Instant ts, String tool, String outcome) {
        return """
                {"event_id":"%s","kind":"call","ts":"%s","source":"gw","server":"github","server_version":"1.0",\
                "tool":"%s","method":"tools/call","duration_ms":%d,"outcome":"%s"}"""
                .formatted(UUID.randomUUID(), ts, tool, 10 + ts.getNano() % 90, outcome);
    }

    /** Each rollup the import hands to the store, in order (the store itself may merge rows away at any time). */
    private final List<CallRollup> rollupsWritten = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    private BulkImport bulk(int rawBatch) {
        PipelineStore recording = (PipelineStore) Proxy.newProxyInstance(PipelineStore.class.getClassLoader(),
                new Class<?>[] {PipelineStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("writeRollups")) {
                        rollupsWritten.addAll((List<CallRollup>) args[0]);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new BulkImport(recording, (from, to) -> Import.storedWindows(clickHouse, from, to),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(6), rawBatch);
    }

    /** The lines as a CRLF file: the importer reads both line ends. */
    private static InputStream lines(List<String> lines) {
        return new ByteArrayInputStream(String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    private long scalar(String sql) {
        return clickHouse.query(sql.replace("{db}", clickHouse.database())).get(0).get("n").asLong();
    }

    @Test
    void shuffledPastCallsAreStoredRawAndRolledUpOnceWhateverTheOrder() throws Exception {
        List<String> lines = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            Instant ts = PAST.plusMillis(random.nextInt(10 * 60_000));
            lines.add(call(ts, "tool_" + i % 3, i % 10 == 0 ? "transport_error" : "ok"));
        }
        Collections.shuffle(lines, random);
        // every batch holds a call of the earliest minute, so the input never moves past a window: each is written
        // once, at the end
        BulkImport.Summary summary = bulk(250).run(lines(lines),
                () -> 0L, 1_000, progress -> { });

        assertEquals(3_000, summary.imported());
        assertEquals(0, summary.refused());
        assertEquals(3_000, scalar("SELECT count() AS n FROM {db}.calls FINAL"));
        assertEquals(3_000, scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL"));
        assertEquals(300, scalar("SELECT sum(transport_error) AS n FROM {db}.call_rollups_1m FINAL"));
        assertEquals(summary.windowsWritten(), scalar("SELECT count() AS n FROM {db}.call_rollups_1m FINAL"));
        assertEquals(summary.windowsWritten(), rollupsWritten.size(), "no window written more than once");
    }

    @Test
    void aWindowWrittenAsTheInputMovesOnAndReopenedByALateLineKeepsAllItsCalls() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add(call(PAST.plusMillis(i * 10L), "tool_0", "ok"));
        }
        for (int i = 0; i < 300; i++) {
            lines.add(call(PAST.plus(Duration.ofMinutes(2)).plusMillis(i * 10L), "tool_0", "ok"));
        }
        lines.add(call(PAST.plusSeconds(30), "tool_0", "tool_error"));
        BulkImport.Summary summary = bulk(100).run(lines(lines), () -> 0L, 1_000, progress -> { });

        assertEquals(401, summary.imported());
        String firstMinute = " WHERE window_start = toDateTime(" + PAST.getEpochSecond() + ")";
        assertEquals(List.of(100L, 101L), rollupsWritten.stream().filter(rollup -> rollup.windowStart().equals(PAST))
                        .map(CallRollup::revision).toList(),
                "the first minute was written when the input had moved on, and again after its late call");
        assertEquals(101, scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL" + firstMinute));
        assertEquals(1, scalar("SELECT sum(tool_error) AS n FROM {db}.call_rollups_1m FINAL" + firstMinute));
        assertEquals(401, scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL"));
    }

    @Test
    void badLinesAuditsRecentCallsAndWindowsThePipelineOwnsAreReportedAndLeftAlone() throws Exception {
        Instant owned = PAST.plus(Duration.ofMinutes(5));
        CallEvent live = accepted(call(owned.plusSeconds(1), "tool_0", "ok"));
        store.writeRollups(List.of(CallRollup.empty(CallRollup.keyOf(live)).plus(live)));

        String audit = """
                {"event_id":"%s","kind":"audit","ts":"%s","source":"gw","server":"github","actor":"alice",\
                "action":"tools/call","decision":"allow"}""".formatted(UUID.randomUUID(), PAST);
        List<String> lines = List.of(
                call(PAST.plusSeconds(1), "tool_0", "ok"),
                "{not json",
                "{\"kind\":\"call\",\"server\":\"'; DROP TABLE calls; --\"}",
                audit,
                "{\"padding\":\"" + "x".repeat(BulkImport.MAX_LINE_BYTES) + "\"}",
                call(NOW.minusSeconds(30), "tool_0", "ok"),
                call(owned.plusSeconds(2), "tool_0", "tool_error"),
                call(owned.plusSeconds(3), "tool_0", "ok"),
                "");
        BulkImport.Summary summary = bulk(100).run(lines(lines),
                () -> 0L, 1_000, progress -> { });

        assertEquals(3, summary.imported());
        assertEquals(4, summary.refused(), () -> "errors: " + summary.firstErrors());
        assertEquals(List.of(2L, 3L, 4L, 5L), summary.firstErrors().stream().map(BulkImport.LineError::line).toList());
        assertTrue(summary.firstErrors().get(0).reason().contains("malformed JSON"), summary.firstErrors().toString());
        assertTrue(summary.firstErrors().get(1).reason().contains("event_id"), summary.firstErrors().toString());
        assertTrue(summary.firstErrors().get(2).reason().contains("collector"), summary.firstErrors().toString());
        assertTrue(summary.firstErrors().get(3).reason().contains("longer than"), summary.firstErrors().toString());
        assertEquals(1, summary.tooRecent());
        assertEquals(1, summary.windowsAlreadyStored());
        assertEquals(2, summary.callsInStoredWindows());
        assertEquals(3, scalar("SELECT count() AS n FROM {db}.calls FINAL"), "all past calls stored raw");
        assertEquals(1, scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL WHERE window_start = "
                + "toDateTime(" + owned.getEpochSecond() + ")"), "the pipeline's rollup of that minute is kept");
        assertEquals(2, scalar("SELECT sum(calls) AS n FROM {db}.call_rollups_1m FINAL"));
    }

    private static CallEvent accepted(String json) throws Exception {
        var outcome = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC))
                .validate(EventCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
        return (CallEvent) ((ValidationOutcome.Accepted) outcome).event();
    }
}

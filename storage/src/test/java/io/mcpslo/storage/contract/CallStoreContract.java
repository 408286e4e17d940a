package io.mcpslo.storage.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import io.mcpslo.storage.audit.AuditStore.ExportFormat;
import io.mcpslo.storage.calls.BadCalls;
import io.mcpslo.storage.calls.CallCursor;
import io.mcpslo.storage.calls.CallFilter;
import io.mcpslo.storage.calls.CallStore;
import io.mcpslo.storage.calls.LedgerGroup;
import io.mcpslo.storage.calls.LedgerQuery;
import io.mcpslo.storage.calls.LedgerTotals;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every back end's {@link CallStore} answers, calls written through {@code pipeline()} as the sink writes them.
 * Row maps are asserted to the key, value and type, since the API serialises them as they come.
 */
public abstract class CallStoreContract extends StoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    protected static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    private static final Instant FROM = T0.minusSeconds(3600);
    private static final Instant TO = T0.plusSeconds(3600);


    private CallStore calls() {
        return storage.calls();
    }

    private void write(CallEvent... calls) {
        storage.pipeline().writeCalls(List.of(calls));
    }

    // ---- page: rows ----

    @Test
    void aPageRowIsEveryColumnByNameWithItsStoredType() {
        CallEvent full = call(id(1)).at(T0.plusMillis(123)).source("gw-eu").server("github").version("2.4.1")
                .tool("search_code").method("tools/call").protocol("2025-06-18").session("s-1").user("ana")
                .team("dev").trace("t-1").span("sp-1").ms(12.5).outcome(Outcome.TRANSPORT_ERROR).errorCode(-32603)
                .errorType("timeout").retry(2).responseBytes(4096L).build();
        CallEvent bare = call(id(2)).at(T0).source("gw-us").server("jira").version(null).tool(null)
                .method("tools/list").ms(100).build();
        write(full, bare);

        List<Map<String, Object>> page = calls().page(filter(), Optional.empty(), 10);

        assertEquals(2, page.size());
        Map<String, Object> first = page.get(0);
        assertEquals(List.of("event_id", "ts", "ts_ms", "source", "server", "server_version", "tool", "method",
                "protocol_version", "session_id", "user", "team", "trace_id", "span_id", "error_type", "duration_ms",
                "outcome", "error_code", "retry", "response_bytes"), List.copyOf(first.keySet()));
        assertEquals(id(1).toString(), first.get("event_id"));
        assertEquals("2026-11-30T03:00:00.123Z", first.get("ts"));
        assertEquals(T0.toEpochMilli() + 123, first.get("ts_ms"));
        assertEquals("gw-eu", first.get("source"));
        assertEquals("github", first.get("server"));
        assertEquals("2.4.1", first.get("server_version"));
        assertEquals("search_code", first.get("tool"));
        assertEquals("tools/call", first.get("method"));
        assertEquals("2025-06-18", first.get("protocol_version"));
        assertEquals("s-1", first.get("session_id"));
        assertEquals("ana", first.get("user"));
        assertEquals("dev", first.get("team"));
        assertEquals("t-1", first.get("trace_id"));
        assertEquals("sp-1", first.get("span_id"));
        assertEquals("timeout", first.get("error_type"));
        assertEquals(12.5, first.get("duration_ms"));
        assertEquals("transport_error", first.get("outcome"));
        assertEquals(-32603, first.get("error_code"));
        assertEquals(2, first.get("retry"));
        assertEquals(4096L, first.get("response_bytes"));

        // absent fields read back as empty text, 0 retries and null numbers
        Map<String, Object> second = page.get(1);
        assertEquals(id(2).toString(), second.get("event_id"));
        assertEquals("2026-11-30T03:00:00Z", second.get("ts"));
        assertEquals("", second.get("server_version"));
        assertEquals("", second.get("tool"));
        assertEquals("tools/list", second.get("method"));
        assertEquals("", second.get("session_id"));
        assertEquals("", second.get("error_type"));
        assertEquals(100.0, second.get("duration_ms"));
        assertEquals("ok", second.get("outcome"));
        assertTrue(second.containsKey("error_code"));
        assertEquals(null, second.get("error_code"));
        assertEquals(0, second.get("retry"));
        assertEquals(null, second.get("response_bytes"));
    }

    @Test
    void callsOfOneMillisecondAreOrderedByEventIdAsTheStoreComparesIds() {
        // the store compares ids by their last 8 bytes first, then their first 8 (unsigned), not as text
        UUID lowTail = UUID.fromString("f0000000-0000-0000-0000-000000000001");
        UUID highTail = UUID.fromString("00000000-0000-0000-8000-000000000000");
        UUID midTailSmallHead = UUID.fromString("00000000-0000-0000-0000-000000000002");
        UUID midTailBigHead = UUID.fromString("ff000000-0000-0000-0000-000000000002");
        write(call(lowTail).at(T0).build(), call(highTail).at(T0).build(), call(midTailSmallHead).at(T0).build(),
                call(midTailBigHead).at(T0).build(), call(id(9)).at(T0.plusMillis(1)).build());

        assertEquals(List.of(id(9), highTail, midTailBigHead, midTailSmallHead, lowTail),
                ids(calls().page(filter(), Optional.empty(), 10)));
        assertEquals(List.of(lowTail, midTailSmallHead, midTailBigHead, highTail, id(9)),
                ids(calls().oldestFirst(filter(), 10)));
    }

    // ---- page: keyset paging ----

    @Test
    void pagingVisitsEveryCallOnceEvenWhenManyShareAMillisecond() {
        List<CallEvent> written = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            written.add(call(UUID.randomUUID()).at(T0).build());
        }
        for (int i = 0; i < 9; i++) {
            written.add(call(UUID.randomUUID()).at(T0.plusMillis(i % 3)).build());
        }
        storage.pipeline().writeCalls(written);

        List<UUID> all = ids(calls().page(filter(), Optional.empty(), 1000));
        List<UUID> paged = new ArrayList<>();
        Optional<CallCursor> after = Optional.empty();
        int pages = 0;
        while (true) {
            List<Map<String, Object>> page = calls().page(filter(), after, 5);
            assertTrue(page.size() <= 5);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(ids(page));
            after = Optional.of(cursorOf(page.getLast()));
            pages++;
            assertTrue(pages < 20, "paging does not end");
        }
        assertEquals(32, all.size());
        assertEquals(all, paged, "the pages together are the one long page, nothing repeated or skipped");
        assertEquals(written.stream().map(c -> c.envelope().eventId()).collect(java.util.stream.Collectors.toSet()),
                Set.copyOf(paged));
        assertEquals(7, pages);
    }

    @Test
    void aCursorKeepsItsPlaceWhileNewerCallsArrive() {
        for (int i = 0; i < 6; i++) {
            write(call(id(10 + i)).at(T0.plusMillis(i)).build());
        }
        List<Map<String, Object>> first = calls().page(filter(), Optional.empty(), 3);
        write(call(id(99)).at(T0.plusSeconds(5)).build());

        assertEquals(List.of(id(12), id(11), id(10)), ids(calls().page(filter(), Optional.of(cursorOf(first.getLast())),
                3)));
    }

    // ---- filters ----

    @Test
    void everyFilterKeepsOnlyTheCallsItNames() {
        write(call(id(1)).at(T0).server("github").tool("search").version("1").session("s1").user("ana").team("dev")
                        .trace("tr1").source("gw-eu").ms(10).build(),
                call(id(2)).at(T0.plusSeconds(1)).server("github").tool("fetch").version("2").session("s2").user("bo")
                        .team("ops").trace("tr2").source("gw-us").ms(250).outcome(Outcome.TOOL_ERROR).errorType("bad_args")
                        .build(),
                call(id(3)).at(T0.plusSeconds(2)).server("jira").tool("search").version("1").session("s1").user("ana")
                        .team("dev").trace("tr1").source("gw-eu").ms(999.5).outcome(Outcome.TRANSPORT_ERROR)
                        .errorCode(-32603).errorType("timeout").build(),
                call(id(4)).at(T0.plusSeconds(3)).server("jira").tool("create").version("3").session("s3").user("cy")
                        .team("ops").trace("tr3").source("gw-us").ms(250).outcome(Outcome.TRANSPORT_ERROR).errorCode(502)
                        .errorType("upstream").build());

        assertMatches(Set.of(1, 2), equals("server", "github"));
        assertMatches(Set.of(1, 3), equals("tool", "search"));
        assertMatches(Set.of(3), equals("server", "jira", "tool", "search"));
        assertMatches(Set.of(2), equals("server_version", "2"));
        assertMatches(Set.of(1, 3), equals("session_id", "s1"));
        assertMatches(Set.of(4), equals("user", "cy"));
        assertMatches(Set.of(2, 4), equals("team", "ops"));
        assertMatches(Set.of(1, 3), equals("trace_id", "tr1"));
        assertMatches(Set.of(2, 4), equals("source", "gw-us"));
        assertMatches(Set.of(3), equals("error_type", "timeout"));
        assertMatches(Set.of(), equals("server", "GitHub"));
        assertMatches(Set.of(3, 4), outcomes(Outcome.TRANSPORT_ERROR));
        assertMatches(Set.of(2, 3, 4), outcomes(Outcome.TRANSPORT_ERROR, Outcome.TOOL_ERROR));
        assertMatches(Set.of(), outcomes(Outcome.DENIED));
        assertMatches(Set.of(4), new CallFilter(Map.of(), Set.of(), Optional.of(502), Optional.empty(),
                Optional.empty(), FROM, TO));
        // at least the duration: the bound itself is in
        assertMatches(Set.of(2, 3, 4), new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.of(250.0),
                Optional.empty(), FROM, TO));
        assertMatches(Set.of(3), new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.of(250.5),
                Optional.empty(), FROM, TO));
        // [from, to): the first millisecond is in, the last is out
        assertMatches(Set.of(2, 3), new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), T0.plusSeconds(1), T0.plusSeconds(3)));
        assertMatches(Set.of(1), new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), T0, T0.plusMillis(1)));
        // what the reader may see: some servers, or none at all
        assertMatches(Set.of(3, 4), new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.empty(),
                Optional.of(Set.of("jira", "confluence")), FROM, TO));
        assertMatches(Set.of(), new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.empty(),
                Optional.of(Set.of()), FROM, TO));
        assertMatches(Set.of(3), new CallFilter(Map.of("session_id", "s1"), Set.of(Outcome.TRANSPORT_ERROR),
                Optional.of(-32603), Optional.of(500.0), Optional.of(Set.of("jira")), FROM, TO));
    }

    @Test
    void aSessionOrTraceReadsOldestFirstUpToTheLimit() {
        write(call(id(1)).at(T0.plusSeconds(2)).session("s1").trace("tr").build(),
                call(id(2)).at(T0).session("s1").trace("tr").server("jira").build(),
                call(id(3)).at(T0.plusSeconds(1)).session("s2").trace("tr").build(),
                call(id(4)).at(T0.plusSeconds(3)).session("s1").build());

        assertEquals(List.of(id(2), id(1), id(4)), ids(calls().oldestFirst(CallFilter.correlated("session_id", "s1",
                Optional.empty(), FROM, TO), 10)));
        assertEquals(List.of(id(2), id(3)), ids(calls().oldestFirst(CallFilter.correlated("trace_id", "tr",
                Optional.empty(), FROM, TO), 2)));
        assertEquals(List.of(id(3), id(1)), ids(calls().oldestFirst(CallFilter.correlated("trace_id", "tr",
                Optional.of(Set.of("github")), FROM, TO), 10)));
        assertEquals(List.of(), calls().oldestFirst(CallFilter.correlated("session_id", "nobody", Optional.empty(),
                FROM, TO), 10));
    }

    @Test
    void countIsTheNumberOfMatchingCalls() {
        for (int i = 0; i < 12; i++) {
            write(call(id(i)).at(T0.plusSeconds(i)).outcome(i % 3 == 0 ? Outcome.TOOL_ERROR : Outcome.OK).build());
        }
        assertEquals(12, calls().count(filter()));
        assertEquals(4, calls().count(outcomes(Outcome.TOOL_ERROR)));
        assertEquals(0, calls().count(equals("server", "nope")));
    }

    // ---- duplicates ----

    @Test
    void aCallWrittenTwiceIsListedCountedAndExportedOnce() {
        List<CallEvent> batch = List.of(call(id(1)).at(T0).session("s").build(), call(id(2)).at(T0).session("s").build(),
                call(id(3)).at(T0.plusSeconds(1)).session("s").outcome(Outcome.TRANSPORT_ERROR).build());
        storage.pipeline().writeCalls(batch);
        storage.pipeline().writeCalls(batch);
        storage.pipeline().writeCalls(List.of(batch.get(2)));

        assertEquals(List.of(id(3), id(2), id(1)), ids(calls().page(filter(), Optional.empty(), 10)));
        assertEquals(List.of(id(1), id(2), id(3)), ids(calls().oldestFirst(equals("session_id", "s"), 10)));
        assertEquals(List.of(id(3), id(2), id(1)), ids(calls().page(equals("session_id", "s"), Optional.empty(), 10)));
        assertEquals(3, calls().count(filter()));
        assertEquals(1, calls().count(outcomes(Outcome.TRANSPORT_ERROR)));
        assertEquals(4, exported(filter(), ExportFormat.CSV).lines().count());
        assertEquals(3, exported(filter(), ExportFormat.NDJSON).lines().count());
        LedgerTotals totals = calls().ledgerTotals(new LedgerQuery(SloScope.ALL, availability(), FROM, TO));
        assertEquals(3, totals.countedCalls());
        assertEquals(1, totals.badCalls());
    }

    // ---- export ----

    @Test
    void csvExportIsAHeaderThenOneLinePerCallNewestFirstWithFormulasDisarmed() {
        write(call(id(1)).at(T0.plusMillis(1500)).source("gw-eu").server("github").version("2.4.1").tool("search")
                        .method("tools/call").protocol("2025-06-18").session("s-1").user("=HYPERLINK(\"x\")")
                        .team("dev").trace("t-1").span("sp-1").ms(12.5).outcome(Outcome.TRANSPORT_ERROR)
                        .errorCode(-32603).errorType("say \"hi\", twice").retry(1).responseBytes(10L).build(),
                call(id(2)).at(T0).source("gw-us").server("jira").version(null).tool(null).method("tools/list")
                        .ms(100).build());

        assertEquals("""
                "time_utc","event_id","ts_ms","source","server","server_version","tool","method","protocol_version",\
                "session_id","user","team","trace_id","span_id","error_type","duration_ms","outcome","error_code",\
                "retry","response_bytes"
                "2026-11-30 03:00:01","%s",%d,"gw-eu","github","2.4.1","search","tools/call","2025-06-18","s-1",\
                "'=HYPERLINK(""x"")","dev","t-1","sp-1","say ""hi"", twice",12.5,"transport_error",-32603,1,10
                "2026-11-30 03:00:00","%s",%d,"gw-us","jira","","","tools/list","","","","","","","",100,"ok",\\N,0,\\N
                """.formatted(id(1), T0.toEpochMilli() + 1500, id(2), T0.toEpochMilli()),
                exported(filter(), ExportFormat.CSV));
    }

    @Test
    void ndjsonExportIsOneObjectPerCallNewestFirstWithValuesAsStored() throws IOException {
        write(call(id(1)).at(T0.plusMillis(1500)).user("=cmd|' /C calc'!A0").trace("a/b").ms(12.5)
                        .outcome(Outcome.TRANSPORT_ERROR).errorCode(-32603).retry(1).responseBytes(10L).build(),
                call(id(2)).at(T0).tool(null).method("tools/list").ms(100).build());

        List<String> lines = exported(filter(), ExportFormat.NDJSON).lines().toList();

        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        List<String> names = new ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("time_utc", "event_id", "ts_ms", "source", "server", "server_version", "tool", "method",
                "protocol_version", "session_id", "user", "team", "trace_id", "span_id", "error_type", "duration_ms",
                "outcome", "error_code", "retry", "response_bytes"), names);
        assertEquals("2026-11-30 03:00:01", first.get("time_utc").asText());
        assertEquals(id(1).toString(), first.get("event_id").asText());
        assertTrue(first.get("ts_ms").isIntegralNumber(), "ts_ms is a number, not text");
        assertEquals(T0.toEpochMilli() + 1500, first.get("ts_ms").asLong());
        // NDJSON is data for programs: the value as stored, not disarmed for spreadsheets
        assertEquals("=cmd|' /C calc'!A0", first.get("user").asText());
        assertEquals("a/b", first.get("trace_id").asText());
        assertEquals(12.5, first.get("duration_ms").asDouble());
        assertEquals("transport_error", first.get("outcome").asText());
        assertEquals(-32603, first.get("error_code").asInt());
        assertTrue(first.get("retry").isIntegralNumber());
        assertEquals(10, first.get("response_bytes").asLong());
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals(id(2).toString(), second.get("event_id").asText());
        assertEquals("", second.get("tool").asText());
        assertTrue(second.get("duration_ms").isNumber());
        assertEquals(100.0, second.get("duration_ms").asDouble());
        assertTrue(second.get("error_code").isNull());
        assertTrue(second.get("response_bytes").isNull());
        assertEquals(0, second.get("retry").asInt());
    }

    @Test
    void anExportOfNothingIsJustTheHeaderOrNothing() {
        write(call(id(1)).at(T0).build());
        assertEquals(1, exported(equals("server", "nope"), ExportFormat.CSV).lines().count());
        assertEquals("", exported(equals("server", "nope"), ExportFormat.NDJSON));
    }

    // ---- hostile values ----

    @Test
    void hostileFilterValuesMatchNothingAndBreakNothing() {
        String quoted = "o'brien\\\" --";
        write(call(id(1)).at(T0).user(quoted).build(), call(id(2)).at(T0.plusSeconds(1)).build());

        for (String hostile : List.of("' OR 1=1 --", "x'); DROP TABLE calls; --", "\\' OR ''='", "%", "*",
                "github' OR server != '", "\u0000", "🔥".repeat(500))) {
            for (String column : CallFilter.FIELDS.values()) {
                CallFilter filter = equals(column, hostile);
                assertEquals(List.of(), calls().page(filter, Optional.empty(), 10), column + " = " + hostile);
                assertEquals(0, calls().count(filter), column + " = " + hostile);
                assertEquals(List.of(), calls().oldestFirst(filter, 10), column + " = " + hostile);
                assertEquals(1, exported(filter, ExportFormat.CSV).lines().count(), column + " = " + hostile);
            }
            assertEquals(List.of(), calls().page(new CallFilter(Map.of(), Set.of(), Optional.empty(),
                    Optional.empty(), Optional.of(Set.of(hostile)), FROM, TO), Optional.empty(), 10));
            LedgerQuery ledger = new LedgerQuery(new SloScope("github' OR 1=1 --", null, null), availability(), FROM, TO);
            assertEquals(0, calls().ledgerTotals(ledger).countedCalls());
        }
        // a value with quotes and backslashes is matched exactly, as any other
        assertEquals(List.of(id(1)), ids(calls().page(equals("user", quoted), Optional.empty(), 10)));
        assertEquals(2, calls().count(filter()), "every call is still there");
    }

    // ---- ledger ----

    @Test
    void ledgerTotalsCountTheCallsTheSliCountsAndItsBadOnes() {
        write(call(id(1)).at(T0).ms(10).build(),
                call(id(2)).at(T0.plusSeconds(10)).outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(3)).at(T0.plusSeconds(20)).outcome(Outcome.TOOL_ERROR).build(),
                call(id(4)).at(T0.plusSeconds(30)).outcome(Outcome.DENIED).build(),
                call(id(5)).at(T0.plusSeconds(40)).outcome(Outcome.TRANSPORT_ERROR).server("jira").build(),
                call(id(6)).at(T0.plusSeconds(50)).outcome(Outcome.TRANSPORT_ERROR).version("9").build(),
                call(id(7)).at(T0.plusSeconds(60)).ms(700).build(),
                call(id(8)).at(TO).outcome(Outcome.TRANSPORT_ERROR).build());
        SloScope github = new SloScope("github", null, null);

        LedgerTotals transport = calls().ledgerTotals(new LedgerQuery(github, availability(), FROM, TO));
        assertEquals(new LedgerTotals(5, 2, Optional.of(T0.plusSeconds(10)), Optional.of(T0.plusSeconds(50)), 0, 0),
                transport);

        BadCalls deniedBurns = BadCalls.of(new AvailabilitySli(FailureLocus.BOTH, true, false));
        assertEquals(new LedgerTotals(5, 3, Optional.of(T0.plusSeconds(10)), Optional.of(T0.plusSeconds(30)), 0, 0),
                calls().ledgerTotals(new LedgerQuery(new SloScope("github", "search", "2.4.1"), deniedBurns, FROM,
                        TO)));

        // a latency threshold counts every call, and those strictly over it are bad
        BadCalls over500 = new BadCalls(EnumSet.allOf(Outcome.class), Set.of(), Optional.of(500.0), Optional.empty());
        assertEquals(new LedgerTotals(6, 1, Optional.of(T0.plusSeconds(60)), Optional.of(T0.plusSeconds(60)), 0, 0),
                calls().ledgerTotals(new LedgerQuery(github, over500, FROM, TO)));
        BadCalls over700 = new BadCalls(EnumSet.allOf(Outcome.class), Set.of(), Optional.of(700.0), Optional.empty());
        assertEquals(new LedgerTotals(6, 0, Optional.empty(), Optional.empty(), 0, 0),
                calls().ledgerTotals(new LedgerQuery(github, over700, FROM, TO)));

        assertEquals(new LedgerTotals(0, 0, Optional.empty(), Optional.empty(), 0, 0),
                calls().ledgerTotals(new LedgerQuery(new SloScope("nope", null, null), availability(), FROM, TO)));
    }

    @Test
    void aCallWithoutAToolIsScopedUnderItsMethod() {
        write(call(id(1)).at(T0).tool(null).method("tools/list").outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(2)).at(T0.plusSeconds(1)).tool("tools/list").outcome(Outcome.OK).build(),
                call(id(3)).at(T0.plusSeconds(2)).tool("search").method("tools/list").outcome(Outcome.TRANSPORT_ERROR)
                        .build());

        assertEquals(new LedgerTotals(2, 1, Optional.of(T0), Optional.of(T0), 0, 0), calls().ledgerTotals(
                new LedgerQuery(new SloScope("github", "tools/list", null), availability(), FROM, TO)));
    }

    @Test
    void aTimesliceLedgerCountsMinutesWithCallsAndTheBadOnes() {
        // minute 0: 1 bad of 4 (75 % good); minute 1: 1 bad of 2 (50 %); minute 2: all good; minute 3: only denied
        write(call(id(1)).at(T0).build(), call(id(2)).at(T0.plusSeconds(10)).build(),
                call(id(3)).at(T0.plusSeconds(20)).build(),
                call(id(4)).at(T0.plusSeconds(59)).outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(5)).at(T0.plusSeconds(60)).outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(6)).at(T0.plusSeconds(61)).build(),
                call(id(7)).at(T0.plusSeconds(130)).build(),
                call(id(8)).at(T0.plusSeconds(190)).outcome(Outcome.DENIED).build());
        BadCalls sliced = new BadCalls(EnumSet.of(Outcome.OK, Outcome.TOOL_ERROR, Outcome.TRANSPORT_ERROR),
                Set.of(Outcome.TRANSPORT_ERROR, Outcome.TOOL_ERROR), Optional.empty(),
                Optional.of(new BadCalls.GoodShareBelow(0.75)));

        assertEquals(new LedgerTotals(7, 2, Optional.of(T0.plusSeconds(59)), Optional.of(T0.plusSeconds(60)), 3, 1),
                calls().ledgerTotals(new LedgerQuery(SloScope.ALL, sliced, FROM, TO)));
        BadCalls strict = new BadCalls(sliced.valid(), sliced.bad(), Optional.empty(),
                Optional.of(new BadCalls.GoodShareBelow(0.8)));
        assertEquals(2, calls().ledgerTotals(new LedgerQuery(SloScope.ALL, strict, FROM, TO)).badMinutes());
    }

    @Test
    void aPercentileMinuteIsBadWhenTheExactPercentileIsOverTheThreshold() {
        // minute 0: 10 calls 10..100 ms; p90 is the 10th smallest (100), p80 the 9th (90)
        for (int i = 1; i <= 10; i++) {
            write(call(id(i)).at(T0.plusSeconds(i)).ms(i * 10).build());
        }
        // minute 1: one slow call among 3
        write(call(id(20)).at(T0.plusSeconds(60)).ms(5).build(), call(id(21)).at(T0.plusSeconds(61)).ms(5).build(),
                call(id(22)).at(T0.plusSeconds(62)).ms(500).outcome(Outcome.TOOL_ERROR).build());

        assertEquals(new LedgerTotals(13, 2, Optional.of(T0.plusSeconds(10)), Optional.of(T0.plusSeconds(62)), 2, 2),
                calls().ledgerTotals(percentileQuery(0.9, 95)), "p90 of minute 0 is 100 ms, of minute 1 500 ms");
        assertEquals(new LedgerTotals(13, 6, Optional.of(T0.plusSeconds(6)), Optional.of(T0.plusSeconds(62)), 2, 1),
                calls().ledgerTotals(percentileQuery(0.5, 55)), "p50 of minute 0 is 60 ms, of minute 1 5 ms");
        assertEquals(new LedgerTotals(13, 1, Optional.of(T0.plusSeconds(62)), Optional.of(T0.plusSeconds(62)), 2, 1),
                calls().ledgerTotals(percentileQuery(0.9, 100)), "100 ms is not over 100 ms");
        // the exact percentile is the value at index floor(p * n) of the sorted minute, not an interpolation
        assertEquals(2, calls().ledgerTotals(percentileQuery(0.91, 99)).badMinutes());
    }

    @Test
    void ledgerGroupsRankEachDimensionsValuesByTheirBadCalls() {
        write(call(id(1)).at(T0).tool("search").version("1").user("ana").session("s1").source("gw-eu")
                        .outcome(Outcome.TRANSPORT_ERROR).errorCode(-32603).errorType("timeout").build(),
                call(id(2)).at(T0.plusSeconds(5)).tool("search").version("1").user("bo").session("s1").source("gw-eu")
                        .outcome(Outcome.TRANSPORT_ERROR).errorCode(-32603).errorType("timeout").build(),
                call(id(3)).at(T0.plusSeconds(9)).tool("fetch").version("2").user("bo").session("s2").source("gw-us")
                        .outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(4)).at(T0.plusSeconds(12)).tool("fetch").version("2").user("cy").session("s3")
                        .outcome(Outcome.OK).build(),
                call(id(5)).at(T0.plusSeconds(15)).tool("zap").version("1").user("ana").session("s1").source("gw-eu")
                        .outcome(Outcome.TRANSPORT_ERROR).errorCode(502).errorType("upstream").build());

        List<LedgerGroup> groups = calls().ledgerGroups(new LedgerQuery(SloScope.ALL, availability(), FROM, TO), 2);

        Instant t0 = T0;
        assertEquals(List.of(
                new LedgerGroup("error_code", "-32603", 2, t0, t0.plusSeconds(5), 0, 0),
                new LedgerGroup("error_code", null, 1, t0.plusSeconds(9), t0.plusSeconds(9), 0, 0),
                new LedgerGroup("error_type", "timeout", 2, t0, t0.plusSeconds(5), 0, 0),
                new LedgerGroup("error_type", null, 1, t0.plusSeconds(9), t0.plusSeconds(9), 0, 0),
                new LedgerGroup("session", "s1", 3, t0, t0.plusSeconds(15), 0, 0),
                new LedgerGroup("session", "s2", 1, t0.plusSeconds(9), t0.plusSeconds(9), 0, 0),
                new LedgerGroup("source", "gw-eu", 3, t0, t0.plusSeconds(15), 0, 0),
                new LedgerGroup("source", "gw-us", 1, t0.plusSeconds(9), t0.plusSeconds(9), 0, 0),
                new LedgerGroup("tool", "search", 2, t0, t0.plusSeconds(5), 0, 0),
                new LedgerGroup("tool", "fetch", 1, t0.plusSeconds(9), t0.plusSeconds(9), 0, 0),
                new LedgerGroup("user", "ana", 2, t0, t0.plusSeconds(15), 0, 0),
                new LedgerGroup("user", "bo", 2, t0.plusSeconds(5), t0.plusSeconds(9), 0, 0),
                new LedgerGroup("version", "1", 3, t0, t0.plusSeconds(15), 0, 0),
                new LedgerGroup("version", "2", 1, t0.plusSeconds(9), t0.plusSeconds(9), 0, 0)), groups);

        assertEquals(7 * 1, calls().ledgerGroups(new LedgerQuery(SloScope.ALL, availability(), FROM, TO), 1).size());
        assertEquals(List.of(), calls().ledgerGroups(new LedgerQuery(new SloScope("nope", null, null), availability(),
                FROM, TO), 5));
    }

    @Test
    void timesliceGroupsShareEachBadMinuteAmongItsBadCalls() {
        // minute 0 is bad (2 bad of 3, 33 % good): its bad calls by ana and bo share it; minute 1 is good (1 bad of 4)
        // so bo's bad call there burns nothing; minute 2 is bad (its one call is bad): cy's alone
        write(call(id(1)).at(T0).user("ana").outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(2)).at(T0.plusSeconds(1)).user("bo").outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(3)).at(T0.plusSeconds(2)).user("ana").build(),
                call(id(4)).at(T0.plusSeconds(60)).user("bo").outcome(Outcome.TRANSPORT_ERROR).build(),
                call(id(5)).at(T0.plusSeconds(61)).user("bo").build(),
                call(id(6)).at(T0.plusSeconds(62)).user("bo").build(),
                call(id(7)).at(T0.plusSeconds(63)).user("bo").build(),
                call(id(8)).at(T0.plusSeconds(120)).user("cy").outcome(Outcome.TRANSPORT_ERROR).build());
        BadCalls sliced = new BadCalls(EnumSet.of(Outcome.OK, Outcome.TOOL_ERROR, Outcome.TRANSPORT_ERROR),
                Set.of(Outcome.TRANSPORT_ERROR), Optional.empty(), Optional.of(new BadCalls.GoodShareBelow(0.7)));
        LedgerQuery query = new LedgerQuery(SloScope.ALL, sliced, FROM, TO);

        assertEquals(new LedgerTotals(8, 4, Optional.of(T0), Optional.of(T0.plusSeconds(120)), 3, 2),
                calls().ledgerTotals(query));
        List<LedgerGroup> users = calls().ledgerGroups(query, 5).stream().filter(g -> g.dimension().equals("user"))
                .toList();
        assertEquals(3, users.size());
        assertGroup(users.get(0), "cy", 1, 1, 1.0);
        assertGroup(users.get(1), "bo", 2, 1, 0.5);
        assertGroup(users.get(2), "ana", 1, 1, 0.5);
        assertEquals(T0.plusSeconds(1), users.get(1).firstBad());
        assertEquals(T0.plusSeconds(60), users.get(1).lastBad());
        double tools = calls().ledgerGroups(query, 5).stream().filter(g -> g.dimension().equals("tool"))
                .mapToDouble(LedgerGroup::badMinuteShare).sum();
        assertEquals(2.0, tools, 1e-9, "the groups of one dimension add up to the bad minutes");
    }

    // ---- rolled-up calls ----

    @Test
    void rolledUpCallsAndMinutesReadTheLatestRevisionOfEachMinute() {
        Instant m0 = T0;
        Instant m1 = T0.plusSeconds(60);
        Instant m2 = T0.plusSeconds(120);
        storage.pipeline().writeRollups(List.of(
                rollup("github", "search", "1", m0, 3, 1, 0, 0),
                rollup("github", "search", "1", m0, 5, 2, 1, 0),
                rollup("github", "fetch", "1", m0, 1, 0, 0, 0),
                rollup("github", "search", "2", m1, 0, 0, 0, 4),
                rollup("jira", "search", "1", m1, 7, 0, 0, 0),
                rollup("github", "search", "1", m2, 2, 0, 0, 0)));
        // a lower revision written after the higher one does not win
        storage.pipeline().writeRollups(List.of(rollup("github", "search", "1", m0, 1, 0, 0, 0)));
        Set<Outcome> available = EnumSet.of(Outcome.OK, Outcome.TOOL_ERROR, Outcome.TRANSPORT_ERROR);
        SloScope github = new SloScope("github", null, null);

        assertEquals(5 + 2 + 1 + 1 + 2, calls().rolledUpCalls(github, available, m0, m2.plusSeconds(60)));
        assertEquals(2, calls().rolledUpMinutes(github, available, m0, m2.plusSeconds(60)));
        assertEquals(3, calls().rolledUpMinutes(github, EnumSet.allOf(Outcome.class), m0, m2.plusSeconds(60)));
        assertEquals(4, calls().rolledUpCalls(github, Set.of(Outcome.DENIED), m0, m2.plusSeconds(60)));
        // [from, to) by minute start
        assertEquals(5 + 2 + 1 + 1, calls().rolledUpCalls(github, available, m0, m2));
        assertEquals(2, calls().rolledUpCalls(github, available, m1, m2.plusSeconds(60)));
        assertEquals(5 + 2 + 1 + 2, calls().rolledUpCalls(new SloScope("github", "search", "1"), available, m0,
                m2.plusSeconds(60)));
        assertEquals(5 + 2 + 1 + 7, calls().rolledUpCalls(new SloScope(null, "search", null), available, m0, m2));
        assertEquals(0, calls().rolledUpCalls(new SloScope("nope", null, null), available, m0, m2));
        assertEquals(0, calls().rolledUpMinutes(new SloScope("github' OR '1'='1", null, null), available, m0, m2));
        assertEquals(0, calls().rolledUpCalls(github, available, m2.plusSeconds(60), m2.plusSeconds(120)));
    }

    @Test
    void anEmptyStoreAnswersEveryReadWithNothing() {
        assertEquals(List.of(), calls().page(filter(), Optional.empty(), 10));
        assertEquals(List.of(), calls().oldestFirst(filter(), 10));
        assertEquals(0, calls().count(filter()));
        LedgerQuery query = new LedgerQuery(SloScope.ALL, availability(), FROM, TO);
        assertEquals(new LedgerTotals(0, 0, Optional.empty(), Optional.empty(), 0, 0), calls().ledgerTotals(query));
        assertEquals(List.of(), calls().ledgerGroups(query, 5));
        assertEquals(0, calls().rolledUpCalls(SloScope.ALL, Set.of(Outcome.OK), FROM, TO));
        assertEquals(0, calls().rolledUpMinutes(SloScope.ALL, Set.of(Outcome.OK), FROM, TO));
    }

    // ---- helpers ----

    private LedgerQuery percentileQuery(double percentile, double thresholdMs) {
        return new LedgerQuery(SloScope.ALL, new BadCalls(EnumSet.allOf(Outcome.class), Set.of(),
                Optional.of(thresholdMs), Optional.of(new BadCalls.PercentileOver(percentile, thresholdMs))), FROM, TO);
    }

    private static void assertGroup(LedgerGroup group, String value, long badCalls, long badMinutes, double share) {
        assertEquals(value, group.value(), group.toString());
        assertEquals(badCalls, group.badCalls(), group.toString());
        assertEquals(badMinutes, group.badMinutes(), group.toString());
        assertEquals(share, group.badMinuteShare(), 1e-9, group.toString());
    }

    private static BadCalls availability() {
        return BadCalls.of(new AvailabilitySli(FailureLocus.TRANSPORT, false, false));
    }

    private void assertMatches(Set<Integer> expected, CallFilter filter) {
        Set<UUID> ids = new HashSet<>();
        expected.forEach(n -> ids.add(id(n)));
        List<UUID> page = ids(calls().page(filter, Optional.empty(), 100));
        assertEquals(ids, Set.copyOf(page), filter.toString());
        assertEquals(ids.size(), page.size(), filter.toString());
        assertEquals(ids.size(), calls().count(filter), filter.toString());
        assertEquals(ids, Set.copyOf(ids(calls().oldestFirst(filter, 100))), filter.toString());
        assertEquals(ids.size() + 1, exported(filter, ExportFormat.CSV).lines().count(), filter.toString());
    }

    private String exported(CallFilter filter, ExportFormat format) {
        try (InputStream in = calls().export(filter, format)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CallCursor cursorOf(Map<String, Object> row) {
        return new CallCursor((Long) row.get("ts_ms"), UUID.fromString((String) row.get("event_id")));
    }

    private static List<UUID> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> UUID.fromString((String) row.get("event_id"))).toList();
    }

    private static CallFilter filter() {
        return new CallFilter(Map.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), FROM, TO);
    }

    private static CallFilter equals(String column, String value) {
        return new CallFilter(Map.of(column, value), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                FROM, TO);
    }

    private static CallFilter equals(String column, String value, String column2, String value2) {
        return new CallFilter(Map.of(column, value, column2, value2), Set.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), FROM, TO);
    }

    private static CallFilter outcomes(Outcome... outcomes) {
        return new CallFilter(Map.of(), Set.of(outcomes), Optional.empty(), Optional.empty(), Optional.empty(), FROM,
                TO);
    }

    protected static UUID id(int n) {
        return UUID.fromString("00000000-0000-4000-8000-%012d".formatted(n));
    }

    private static CallRollup rollup(String server, String tool, String version, Instant minute, long ok,
                                     long toolError, long transportError, long denied) {
        CallRollup rollup = CallRollup.empty(new RollupKey(server, tool, version, minute));
        for (var entry : Map.of(Outcome.OK, ok, Outcome.TOOL_ERROR, toolError, Outcome.TRANSPORT_ERROR, transportError,
                Outcome.DENIED, denied).entrySet()) {
            for (long i = 0; i < entry.getValue(); i++) {
                rollup = rollup.plus(new CallEvent(new EventEnvelope(UUID.randomUUID(), minute, "gw", server, version,
                        tool, "tools/call", null, null, null, null, null, null), 20, entry.getKey(), null, null, null,
                        null));
            }
        }
        return rollup;
    }

    protected static CallBuilder call(UUID id) {
        return new CallBuilder(id);
    }

    /** A call as its test reads: {@code call(id(1)).at(T0).outcome(TOOL_ERROR).build()}; the rest defaults. */
    protected static final class CallBuilder {
        private final UUID id;
        private Instant ts = T0;
        private String source = "gw-eu";
        private String server = "github";
        private String version = "2.4.1";
        private String tool = "search";
        private String method = "tools/call";
        private String protocol;
        private String session;
        private String user;
        private String team;
        private String trace;
        private String span;
        private double ms = 50;
        private Outcome outcome = Outcome.OK;
        private Integer errorCode;
        private String errorType;
        private Integer retry;
        private Long responseBytes;

        private CallBuilder(UUID id) {
            this.id = id;
        }

        public CallBuilder at(Instant ts) { this.ts = ts; return this; }
        public CallBuilder source(String source) { this.source = source; return this; }
        public CallBuilder server(String server) { this.server = server; return this; }
        public CallBuilder version(String version) { this.version = version; return this; }
        public CallBuilder tool(String tool) { this.tool = tool; return this; }
        public CallBuilder method(String method) { this.method = method; return this; }
        public CallBuilder protocol(String protocol) { this.protocol = protocol; return this; }
        public CallBuilder session(String session) { this.session = session; return this; }
        public CallBuilder user(String user) { this.user = user; return this; }
        public CallBuilder team(String team) { this.team = team; return this; }
        public CallBuilder trace(String trace) { this.trace = trace; return this; }
        public CallBuilder span(String span) { this.span = span; return this; }
        public CallBuilder ms(double ms) { this.ms = ms; return this; }
        public CallBuilder outcome(Outcome outcome) { this.outcome = outcome; return this; }
        public CallBuilder errorCode(Integer errorCode) { this.errorCode = errorCode; return this; }
        public CallBuilder errorType(String errorType) { this.errorType = errorType; return this; }
        public CallBuilder retry(Integer retry) { this.retry = retry; return this; }
        public CallBuilder responseBytes(Long responseBytes) { this.responseBytes = responseBytes; return this; }

        public CallEvent build() {
            return new CallEvent(new EventEnvelope(id, ts, source, server, version, tool, method, protocol, session,
                    user, team, trace, span), ms, outcome, errorCode, errorType, retry, responseBytes);
        }
    }
}

package io.mcpslo.storage.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.storage.audit.AuditCursor;
import io.mcpslo.storage.audit.AuditFilter;
import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.audit.AuditStore.ExportFormat;
import io.mcpslo.storage.audit.StoredLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every back end's {@link AuditStore} answers, the chained audit log written through {@code pipeline()} as the
 * sink writes it. Row maps are asserted to the key, value and type, since the API serialises them as they come.
 */
public abstract class AuditStoreContract extends StoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    protected static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    private static final Instant FROM = T0.minusSeconds(3600);
    private static final Instant TO = T0.plusSeconds(3600);
    private static final List<String> ROW_KEYS = List.of("ts", "event_id", "source", "server", "server_version", "tool",
            "method", "session_id", "user", "team", "trace_id", "span_id", "actor", "agent", "action", "resource",
            "args_hash", "decision", "policy", "outcome", "reason", "ts_ms", "chain_partition", "chain_seq", "hash");
    private static final List<String> EXPORT_COLUMNS = List.of("time_utc", "event_id", "source", "server",
            "server_version", "tool", "method", "session_id", "user", "team", "trace_id", "span_id", "actor", "agent",
            "action", "resource", "args_hash", "decision", "policy", "outcome", "reason", "ts_ms", "chain_partition",
            "chain_seq", "prev_hash", "hash");


    private AuditStore audit() {
        return storage.audit();
    }

    // ---- page ----

    @Test
    void aPageRowIsEveryColumnByNameWithItsStoredType() {
        AuditEvent full = new AuditEvent(new EventEnvelope(id(1), T0.plusMillis(250), "gw-eu", "github", "2.4.1",
                "search", "tools/call", "2025-06-18", "s-1", "ana", "dev", "t-1", "sp-1"), "ana@corp", "claude",
                "tool.call", "repo:x", "sha256:ab", AuditEvent.Decision.DENY, "policy-7", "refused", "not allowed");
        AuditEvent bare = new AuditEvent(new EventEnvelope(id(2), T0, "gw-us", "jira", null, null, null, null, null,
                null, null, null, null), "bo", null, "server.disable", null, null, AuditEvent.Decision.ALLOW, null, null,
                null);
        List<ChainedAudit> chained = chain(3, T0, full, bare);
        storage.pipeline().writeAuditLog(chained);

        List<Map<String, Object>> page = audit().page(filter(), Optional.empty(), 10);

        assertEquals(2, page.size());
        Map<String, Object> first = page.get(0);
        assertEquals(ROW_KEYS, List.copyOf(first.keySet()));
        assertEquals("2026-11-30T03:00:00.250Z", first.get("ts"));
        assertEquals(id(1).toString(), first.get("event_id"));
        assertEquals(AuditChain.textFields(full), Map.copyOf(textOf(first)));
        assertEquals("deny", first.get("decision"));
        assertEquals(T0.toEpochMilli() + 250, first.get("ts_ms"));
        assertEquals(3, first.get("chain_partition"));
        assertEquals(1L, first.get("chain_seq"));
        assertEquals(chained.get(0).link().hash(), first.get("hash"));

        Map<String, Object> second = page.get(1);
        assertEquals("2026-11-30T03:00:00Z", second.get("ts"));
        assertEquals("", second.get("tool"));
        assertEquals("", second.get("agent"));
        assertEquals("", second.get("reason"));
        assertEquals("allow", second.get("decision"));
        assertEquals(2L, second.get("chain_seq"));
    }

    @Test
    void oneMillisecondsRowsAreOrderedByEventIdThenChainPosition() {
        AuditEvent a = event(id(1)).at(T0).build();
        AuditEvent b = event(id(2)).at(T0).build();
        AuditEvent c = event(id(3)).at(T0.plusMillis(1)).build();
        // b is in two chains' positions (chained again after a restart): each position is a row
        List<ChainedAudit> rows = new ArrayList<>(chain(0, T0, a, b, c));
        rows.addAll(chain(1, T0, b));
        storage.pipeline().writeAuditLog(rows);

        List<Map<String, Object>> page = audit().page(filter(), Optional.empty(), 10);

        assertEquals(List.of("3:0:3", "2:1:1", "2:0:2", "1:0:1"), positions(page));
    }

    @Test
    void pagingVisitsEveryRowOnceEvenWhenManyShareAMillisecond() {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            events.add(event(UUID.randomUUID()).at(i < 20 ? T0 : T0.plusMillis(i % 2)).build());
        }
        List<ChainedAudit> rows = new ArrayList<>(chain(0, T0, events.subList(0, 13).toArray(AuditEvent[]::new)));
        rows.addAll(chain(1, T0, events.subList(13, 26).toArray(AuditEvent[]::new)));
        storage.pipeline().writeAuditLog(rows);

        List<String> all = positions(audit().page(filter(), Optional.empty(), 1000));
        List<String> paged = new ArrayList<>();
        Optional<AuditCursor> after = Optional.empty();
        int pages = 0;
        while (true) {
            List<Map<String, Object>> page = audit().page(filter(), after, 4);
            if (page.isEmpty()) {
                break;
            }
            assertTrue(page.size() <= 4);
            paged.addAll(positions(page));
            Map<String, Object> last = page.getLast();
            after = Optional.of(new AuditCursor((Long) last.get("ts_ms"), (String) last.get("event_id"),
                    (Integer) last.get("chain_partition"), (Long) last.get("chain_seq")));
            assertTrue(++pages < 20, "paging does not end");
        }
        assertEquals(26, all.size());
        assertEquals(all, paged, "the pages together are the one long page, nothing repeated or skipped");
        assertEquals(26, Set.copyOf(paged).size());
        assertEquals(7, pages);
    }

    @Test
    void everyFilterKeepsOnlyTheRowsItNames() {
        storage.pipeline().writeAuditLog(chain(0, T0,
                event(id(1)).at(T0).actor("ana").agent("claude").team("dev").action("tool.call").resource("repo:a")
                        .server("github").tool("search").decision(AuditEvent.Decision.ALLOW).outcome("ok")
                        .policy("p1").session("s1").trace("tr1").source("gw-eu").user("u1").build(),
                event(id(2)).at(T0.plusSeconds(1)).actor("bo").agent("cursor").team("ops").action("tool.kill")
                        .resource("tool:fetch").server("github").tool("fetch").decision(AuditEvent.Decision.DENY)
                        .outcome("refused").policy("p2").session("s2").trace("tr2").source("gw-us").user("u2").build(),
                event(id(3)).at(T0.plusSeconds(2)).actor("ana").agent("claude").team("dev").action("tool.call")
                        .resource("repo:b").server("jira").tool("search").decision(AuditEvent.Decision.ALLOW)
                        .outcome("ok").policy("p1").session("s1").trace("tr1").source("gw-eu").user("u1").build()));

        assertMatches(Set.of(1, 3), equals("actor", "ana"));
        assertMatches(Set.of(2), equals("agent", "cursor"));
        assertMatches(Set.of(2), equals("team", "ops"));
        assertMatches(Set.of(1, 3), equals("action", "tool.call"));
        assertMatches(Set.of(3), equals("resource", "repo:b"));
        assertMatches(Set.of(1, 2), equals("server", "github"));
        assertMatches(Set.of(1, 3), equals("tool", "search"));
        assertMatches(Set.of(1), new AuditFilter(Map.of("server", "github", "tool", "search"), FROM, TO));
        assertMatches(Set.of(3), new AuditFilter(Map.of("server", "jira", "actor", "ana"), FROM, TO));
        assertMatches(Set.of(2), equals("decision", "deny"));
        assertMatches(Set.of(), equals("decision", "DENY"));
        assertMatches(Set.of(2), equals("outcome", "refused"));
        assertMatches(Set.of(1, 3), equals("policy", "p1"));
        assertMatches(Set.of(1, 3), equals("session_id", "s1"));
        assertMatches(Set.of(2), equals("trace_id", "tr2"));
        assertMatches(Set.of(2), equals("source", "gw-us"));
        assertMatches(Set.of(1, 3), equals("user", "u1"));
        // [from, to) of event time, to the millisecond
        assertMatches(Set.of(2), new AuditFilter(Map.of(), T0.plusSeconds(1), T0.plusSeconds(2)));
        assertMatches(Set.of(1), new AuditFilter(Map.of(), T0, T0.plusMillis(1)));
        assertMatches(Set.of(), new AuditFilter(Map.of("actor", "ana"), T0.plusMillis(1), T0.plusSeconds(2)));
    }

    @Test
    void aRowWrittenTwiceIsListedCountedExportedAndLinkedOnce() {
        List<ChainedAudit> rows = chain(0, T0, event(id(1)).at(T0).build(), event(id(2)).at(T0.plusSeconds(1)).build());
        storage.pipeline().writeAuditLog(rows);
        storage.pipeline().writeAuditLog(rows);
        storage.pipeline().writeAuditLog(rows.subList(1, 2));

        assertEquals(List.of("2:0:2", "1:0:1"), positions(audit().page(filter(), Optional.empty(), 10)));
        assertEquals(2, audit().count(filter()));
        assertEquals(2, audit().count(equals("server", "github")));
        assertEquals(List.of("2:0:2"), positions(audit().page(equals("server", "github"), Optional.of(
                new AuditCursor(T0.plusSeconds(5).toEpochMilli(), id(9).toString(), 0, 0)), 1)));
        assertEquals(3, exported(filter(), ExportFormat.CSV).lines().count());
        assertEquals(2, exported(filter(), ExportFormat.NDJSON).lines().count());
        List<StoredLink> links = new ArrayList<>();
        audit().links(FROM, TO, links::add);
        assertEquals(2, links.size());
    }

    @Test
    void countIsTheNumberOfMatchingRows() {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            events.add(event(id(i)).at(T0.plusSeconds(i)).actor(i % 3 == 0 ? "ana" : "bo").build());
        }
        storage.pipeline().writeAuditLog(chain(0, T0, events.toArray(AuditEvent[]::new)));

        assertEquals(9, audit().count(filter()));
        assertEquals(3, audit().count(equals("actor", "ana")));
        assertEquals(0, audit().count(equals("actor", "cy")));
    }

    // ---- break glass ----

    @Test
    void breakGlassIsTheFourIncidentActsNewestFirst() {
        storage.pipeline().writeAuditLog(chain(0, T0,
                event(id(1)).at(T0).action("server.disable").build(),
                event(id(2)).at(T0.plusSeconds(1)).action("tool.call").build(),
                event(id(3)).at(T0.plusSeconds(2)).action("tool.kill").build(),
                event(id(4)).at(T0.plusSeconds(3)).action("sessions.drain").build(),
                event(id(5)).at(T0.plusSeconds(4)).action("tool.enable").build(),
                event(id(6)).at(T0.plusSeconds(5)).action("server.enable").build(),
                event(id(7)).at(TO).action("tool.kill").build(),
                event(id(8)).at(T0.plusSeconds(6)).action("TOOL.KILL").build()));

        assertEquals(List.of(id(5), id(4), id(3), id(1)), eventIds(audit().breakGlass(FROM, TO, 10)));
        assertEquals(List.of(id(5), id(4)), eventIds(audit().breakGlass(FROM, TO, 2)));
        assertEquals(List.of(id(3)), eventIds(audit().breakGlass(T0.plusSeconds(1), T0.plusSeconds(3), 10)));
        assertEquals(ROW_KEYS, List.copyOf(audit().breakGlass(FROM, TO, 1).getFirst().keySet()));
        assertEquals(List.of(), audit().breakGlass(TO.plusSeconds(1), TO.plusSeconds(60), 10));
    }

    // ---- export ----

    @Test
    void csvExportIsAHeaderThenOneLinePerRowNewestFirstWithFormulasDisarmed() {
        AuditEvent formula = event(id(1)).at(T0.plusMillis(1500)).actor("=HYPERLINK(\"x\")").reason("said \"no\", twice")
                .resource("-1+1").build();
        AuditEvent plain = event(id(2)).at(T0).build();
        List<ChainedAudit> rows = chain(2, T0, plain, formula);
        storage.pipeline().writeAuditLog(rows);
        String formulaHash = rows.get(1).link().hash();
        String plainHash = rows.get(0).link().hash();

        assertEquals(String.join(",", EXPORT_COLUMNS.stream().map(c -> '"' + c + '"').toList()) + "\n"
                + "\"2026-11-30 03:00:01\",\"%s\",\"gw-eu\",\"github\",\"2.4.1\",\"search\",\"tools/call\",\"\",\"\","
                .formatted(id(1))
                + "\"dev\",\"\",\"\",\"'=HYPERLINK(\"\"x\"\")\",\"\",\"tool.call\",\"'-1+1\",\"\",\"allow\",\"\",\"\","
                + "\"said \"\"no\"\", twice\",%d,2,2,\"%s\",\"%s\"\n".formatted(T0.toEpochMilli() + 1500, plainHash,
                formulaHash)
                + "\"2026-11-30 03:00:00\",\"%s\",\"gw-eu\",\"github\",\"2.4.1\",\"search\",\"tools/call\",\"\",\"\","
                .formatted(id(2))
                + "\"dev\",\"\",\"\",\"ana\",\"\",\"tool.call\",\"\",\"\",\"allow\",\"\",\"\",\"\",%d,2,1,\"%s\",\"%s\"\n"
                .formatted(T0.toEpochMilli(), AuditChain.GENESIS, plainHash),
                exported(filter(), ExportFormat.CSV));
    }

    @Test
    void ndjsonExportIsOneObjectPerRowWithValuesAsStored() throws IOException {
        List<ChainedAudit> rows = chain(4, T0, event(id(1)).at(T0.plusMillis(1500)).actor("=cmd|' /C calc'!A0")
                .resource("repo/a").build());
        storage.pipeline().writeAuditLog(rows);

        List<String> lines = exported(filter(), ExportFormat.NDJSON).lines().toList();

        assertEquals(1, lines.size());
        JsonNode row = JSON.readTree(lines.get(0));
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        assertEquals(EXPORT_COLUMNS, names);
        assertEquals("2026-11-30 03:00:01", row.get("time_utc").asText());
        assertEquals("=cmd|' /C calc'!A0", row.get("actor").asText());
        assertEquals("repo/a", row.get("resource").asText());
        assertTrue(row.get("ts_ms").isIntegralNumber());
        assertEquals(T0.toEpochMilli() + 1500, row.get("ts_ms").asLong());
        assertTrue(row.get("chain_partition").isIntegralNumber());
        assertEquals(4, row.get("chain_partition").asInt());
        assertTrue(row.get("chain_seq").isIntegralNumber());
        assertEquals(1, row.get("chain_seq").asLong());
        assertEquals(AuditChain.GENESIS, row.get("prev_hash").asText());
        assertEquals(rows.get(0).link().hash(), row.get("hash").asText());
        assertEquals("", exported(equals("actor", "nobody"), ExportFormat.NDJSON));
        assertEquals(1, exported(equals("actor", "nobody"), ExportFormat.CSV).lines().count());
    }

    // ---- hostile values ----

    @Test
    void hostileFilterValuesMatchNothingAndBreakNothing() {
        String quoted = "o'brien\\\" --";
        storage.pipeline().writeAuditLog(chain(0, T0, event(id(1)).at(T0).actor(quoted).build(),
                event(id(2)).at(T0.plusSeconds(1)).build()));

        for (String hostile : List.of("' OR 1=1 --", "x'); DROP TABLE audit_log; --", "\\' OR ''='", "%", "*",
                "ana' OR actor != '", "\u0000", "🔥".repeat(500))) {
            for (String column : AuditFilter.FIELDS.values()) {
                AuditFilter filter = equals(column, hostile);
                assertEquals(List.of(), audit().page(filter, Optional.empty(), 10), column + " = " + hostile);
                assertEquals(0, audit().count(filter), column + " = " + hostile);
                assertEquals(1, exported(filter, ExportFormat.CSV).lines().count(), column + " = " + hostile);
            }
        }
        assertEquals(List.of(id(1)), eventIds(audit().page(equals("actor", quoted), Optional.empty(), 10)));
        assertEquals(2, audit().count(filter()), "every row is still there");
    }

    // ---- the chain ----

    @Test
    void linksAreFedChainByChainInChainOrderForTheirChainingTime() {
        List<ChainedAudit> zero = chain(0, T0, event(id(1)).at(T0).build(), event(id(2)).at(T0.plusSeconds(1)).build(),
                event(id(3)).at(T0.plusSeconds(2)).build());
        List<ChainedAudit> one = chain(1, T0.plusSeconds(10), event(id(4)).at(T0.minusSeconds(5)).build(),
                event(id(5)).at(T0.plusSeconds(3)).build());
        List<ChainedAudit> late = chain(2, T0.plusSeconds(100), event(id(6)).at(T0).build());
        // written interleaved, newest first: the reader still gets each chain in order
        storage.pipeline().writeAuditLog(List.of(one.get(1), zero.get(2), late.get(0)));
        storage.pipeline().writeAuditLog(List.of(zero.get(0), one.get(0), zero.get(1)));

        List<StoredLink> links = new ArrayList<>();
        audit().links(T0, T0.plusSeconds(100), links::add);

        assertEquals(List.of("0:1", "0:2", "0:3", "1:1", "1:2"), links.stream().map(l -> l.partition() + ":" + l.seq())
                .toList());
        StoredLink first = links.get(0);
        assertEquals(AuditChain.textFields(zero.get(0).event()), first.textFields());
        assertEquals(id(1).toString(), first.eventId());
        assertEquals(T0.toEpochMilli(), first.tsMs());
        assertEquals(AuditChain.GENESIS, first.prevHash());
        assertEquals(zero.get(0).link().hash(), first.hash());
        for (StoredLink link : links) {
            assertEquals(link.hash(), AuditChain.hash(link.prevHash(), link.textFields(), link.tsMs(), link.partition(),
                    link.seq()), "the stored link hashes again to its hash");
        }
        assertEquals(links.get(1).hash(), links.get(2).prevHash());

        List<StoredLink> fromSecondTen = new ArrayList<>();
        audit().links(T0.plusSeconds(10), T0.plusSeconds(101), fromSecondTen::add);
        assertEquals(List.of("1:1", "1:2", "2:1"), fromSecondTen.stream().map(l -> l.partition() + ":" + l.seq())
                .toList());
        List<StoredLink> none = new ArrayList<>();
        audit().links(T0.plusSeconds(11), T0.plusSeconds(100), none::add);
        assertEquals(List.of(), none);
    }

    @Test
    void aLinkIsFoundByItsChainAndPosition() {
        List<ChainedAudit> rows = chain(7, T0, event(id(1)).at(T0).build(), event(id(2)).at(T0.plusSeconds(1)).build());
        storage.pipeline().writeAuditLog(rows);

        StoredLink second = audit().link(7, 2).orElseThrow();
        assertEquals(new StoredLink(AuditChain.textFields(rows.get(1).event()), T0.plusSeconds(1).toEpochMilli(), 7, 2,
                rows.get(0).link().hash(), rows.get(1).link().hash()), second);
        assertEquals(Optional.empty(), audit().link(7, 3));
        assertEquals(Optional.empty(), audit().link(8, 1));
        assertEquals(Optional.empty(), audit().link(-1, -1));
    }

    @Test
    void digestsAreReadOncePerLinkForTheirTimeToTheSecond() {
        AuditDigest a = new AuditDigest(0, 10, "h10", "mac10", T0.plusMillis(900));
        AuditDigest b = new AuditDigest(1, 5, "h5", "mac5", T0.plusSeconds(30));
        AuditDigest late = new AuditDigest(0, 20, "h20", "mac20", T0.plusSeconds(60));
        storage.pipeline().writeDigests(List.of(a, b, late));
        storage.pipeline().writeDigests(List.of(b));

        assertEquals(List.of(new AuditDigest(0, 10, "h10", "mac10", T0), b),
                sorted(audit().digests(T0, T0.plusSeconds(60))));
        assertEquals(List.of(new AuditDigest(0, 10, "h10", "mac10", T0), late, b),
                sorted(audit().digests(FROM, TO)));
        assertEquals(List.of(), audit().digests(T0.plusSeconds(61), TO));
    }

    @Test
    void anEmptyLogAnswersEveryReadWithNothing() {
        assertEquals(List.of(), audit().page(filter(), Optional.empty(), 10));
        assertEquals(0, audit().count(filter()));
        assertEquals(List.of(), audit().breakGlass(FROM, TO, 10));
        assertEquals(1, exported(filter(), ExportFormat.CSV).lines().count());
        assertEquals("", exported(filter(), ExportFormat.NDJSON));
        List<StoredLink> links = new ArrayList<>();
        audit().links(FROM, TO, links::add);
        assertEquals(List.of(), links);
        assertEquals(Optional.empty(), audit().link(0, 1));
        assertEquals(List.of(), audit().digests(FROM, TO));
    }

    // ---- helpers ----

    private static List<AuditDigest> sorted(List<AuditDigest> digests) {
        return digests.stream().sorted(Comparator.comparingInt(AuditDigest::partition)
                .thenComparingLong(AuditDigest::seq)).toList();
    }

    private void assertMatches(Set<Integer> expected, AuditFilter filter) {
        Set<UUID> ids = new HashSet<>();
        expected.forEach(n -> ids.add(id(n)));
        List<UUID> page = eventIds(audit().page(filter, Optional.empty(), 100));
        assertEquals(ids, Set.copyOf(page), filter.toString());
        assertEquals(ids.size(), page.size(), filter.toString());
        assertEquals(ids.size(), audit().count(filter), filter.toString());
        assertEquals(ids.size() + 1, exported(filter, ExportFormat.CSV).lines().count(), filter.toString());
    }

    private String exported(AuditFilter filter, ExportFormat format) {
        try (InputStream in = audit().export(filter, format)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> textOf(Map<String, Object> row) {
        Map<String, String> text = new java.util.HashMap<>();
        for (String field : AuditChain.TEXT_FIELDS) {
            text.put(field, (String) row.get(field));
        }
        return text;
    }

    /** Each row as "n:partition:seq", n the event's number. */
    private static List<String> positions(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            String id = (String) row.get("event_id");
            String n = id.startsWith("00000000-0000-4000-8000-") ? Integer.toString(Integer.parseInt(id.substring(24)))
                    : id;
            return n + ":" + row.get("chain_partition") + ":" + row.get("chain_seq");
        }).toList();
    }

    private static List<UUID> eventIds(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> UUID.fromString((String) row.get("event_id"))).toList();
    }

    private static AuditFilter filter() {
        return new AuditFilter(Map.of(), FROM, TO);
    }

    private static AuditFilter equals(String column, String value) {
        return new AuditFilter(Map.of(column, value), FROM, TO);
    }

    protected static UUID id(int n) {
        return UUID.fromString("00000000-0000-4000-8000-%012d".formatted(n));
    }

    /** The events chained in order on one chain (from seq 1), all chained at {@code chainedAt}. */
    protected static List<ChainedAudit> chain(int partition, Instant chainedAt, AuditEvent... events) {
        List<ChainedAudit> chained = new ArrayList<>();
        AuditChain.Link link = null;
        for (AuditEvent event : events) {
            link = AuditChain.next(link, partition, event);
            chained.add(new ChainedAudit(event, link, chainedAt));
        }
        return chained;
    }

    protected static EventBuilder event(UUID id) {
        return new EventBuilder(id);
    }

    /** An audit event as its test reads: {@code event(id(1)).at(T0).action("tool.kill").build()}; the rest defaults. */
    protected static final class EventBuilder {
        private final UUID id;
        private Instant ts = T0;
        private String source = "gw-eu";
        private String server = "github";
        private String tool = "search";
        private String session;
        private String user;
        private String team = "dev";
        private String trace;
        private String actor = "ana";
        private String agent;
        private String action = "tool.call";
        private String resource;
        private AuditEvent.Decision decision = AuditEvent.Decision.ALLOW;
        private String policy;
        private String outcome;
        private String reason;

        private EventBuilder(UUID id) {
            this.id = id;
        }

        public EventBuilder at(Instant ts) { this.ts = ts; return this; }
        public EventBuilder source(String source) { this.source = source; return this; }
        public EventBuilder server(String server) { this.server = server; return this; }
        public EventBuilder tool(String tool) { this.tool = tool; return this; }
        public EventBuilder session(String session) { this.session = session; return this; }
        public EventBuilder user(String user) { this.user = user; return this; }
        public EventBuilder team(String team) { this.team = team; return this; }
        public EventBuilder trace(String trace) { this.trace = trace; return this; }
        public EventBuilder actor(String actor) { this.actor = actor; return this; }
        public EventBuilder agent(String agent) { this.agent = agent; return this; }
        public EventBuilder action(String action) { this.action = action; return this; }
        public EventBuilder resource(String resource) { this.resource = resource; return this; }
        public EventBuilder decision(AuditEvent.Decision decision) { this.decision = decision; return this; }
        public EventBuilder policy(String policy) { this.policy = policy; return this; }
        public EventBuilder outcome(String outcome) { this.outcome = outcome; return this; }
        public EventBuilder reason(String reason) { this.reason = reason; return this; }

        public AuditEvent build() {
            return new AuditEvent(new EventEnvelope(id, ts, source, server, "2.4.1", tool, "tools/call", null, session,
                    user, team, trace, null), actor, agent, action, resource, null, decision, policy, outcome, reason);
        }
    }
}

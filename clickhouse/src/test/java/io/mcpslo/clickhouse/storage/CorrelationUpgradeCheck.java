package io.mcpslo.clickhouse.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A database an older release left keeps every session, user and trace lookup of the calls it holds once the
 * migrations reshape the correlation copy (V012 narrowed the full-width copy to keys, V013 hashed them, V014 dropped
 * their event ids), and calls written after are found the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CorrelationUpgradeCheck {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private ClickHouseClient client;

    /** The last migration the older release applied. */
    abstract String releaseBefore();

    @BeforeAll
    void upgradeWithCallsStoredBefore() {
        client = ClickHouseTestSupport.freshDatabase("correlation_upgrade");
        client.execute("DROP DATABASE " + client.database()); // as the older release would have left it:
        new SchemaMigrator(client).migrateThrough(releaseBefore());
        store().writeCalls(List.of(call("before", "s-1", "alice", "t-1", 3), call("before", "s-1", "bob", "", 2)));
        new SchemaMigrator(client).migrate();
        store().writeCalls(List.of(call("after", "s-1", "alice", "t-2", 1)));
    }

    @AfterAll
    void drop() {
        ClickHouseTestSupport.drop(client);
    }

    private ClickHousePipelineStore store() {
        return new ClickHousePipelineStore(client, Clock.systemUTC());
    }

    private static CallEvent call(String server, String session, String user, String trace, int minutesAgo) {
        var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofMinutes(minutesAgo)), "gw", server,
                "1", "search", "tools/call", null, session, user, "team", trace, null);
        return new CallEvent(envelope, 10, Outcome.OK, null, null, null, null);
    }

    private List<String> servers(String column, String key) {
        return CorrelationLookup.servers(client, NOW, column, key);
    }

    @Test
    void callsStoredBeforeTheUpgradeAreFoundByTheirKeysBesideTheNewOnes() {
        assertEquals(List.of("after", "before", "before"), servers("session_id", "s-1"), "newest first");
        assertEquals(List.of("after", "before"), servers("user", "alice"));
        assertEquals(List.of("before"), servers("user", "bob"));
        assertEquals(List.of("before"), servers("trace_id", "t-1"));
        assertEquals(List.of("after"), servers("trace_id", "t-2"));
    }

    @Test
    void theOlderCopiesAreGoneAndEachCallHasOneKeyRowPerKey() {
        assertEquals(List.of(), client.query("SELECT name FROM system.tables WHERE database = '" + client.database()
                + "' AND (name LIKE 'calls_by_correlation%' OR name LIKE 'call_correlation_keys%'"
                + " OR name LIKE 'call_correlation_hashes%')"), "the older copies and their views are dropped");
        assertEquals(8, client.query("SELECT count() AS n FROM " + client.database() + ".call_correlation_times FINAL")
                .get(0).get("n").asLong(), "3 + 2 keys before, 3 after");
    }
}

package io.mcpslo.clickhouse.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventEnvelope;
import io.mcpslo.schemas.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Correlation keys are stored as 64-bit hashes with the times of their calls: a key row whose hash is the one asked for
 * but whose call has another key (a collision, made here by hand since a real one is rare) must not put that call in
 * the lookup's answer, nor may a call of another key in the same millisecond.
 */
class CorrelationHashCollisionIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private ClickHouseClient client;

    @BeforeEach
    void start() {
        client = ClickHouseTestSupport.freshDatabase("correlation_hash");
    }

    @AfterEach
    void drop() {
        ClickHouseTestSupport.drop(client);
    }

    private static CallEvent call(String server, String session, String user, String trace, int secondsAgo) {
        var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minusSeconds(secondsAgo), "gw", server, "1", "search",
                "tools/call", null, session, user, "team", trace, null);
        return new CallEvent(envelope, 10, Outcome.OK, null, null, null, null);
    }

    private List<String> servers(String column, String key) {
        return CorrelationLookup.servers(client, NOW, column, key);
    }

    @Test
    void aCallWhoseKeyOnlySharesTheHashIsNotFound() {
        new ClickHousePipelineStore(client, Clock.systemUTC()).writeCalls(List.of(
                call("mine", "s-1", "alice", "t-1", 30), call("other", "s-2", "bob", "t-2", 20)));
        // the other call's key rows, as if "s-2", "bob" and "t-2" hashed like "s-1", "alice" and "t-1"
        client.execute("INSERT INTO " + client.database() + ".call_correlation_times SELECT key_kind, "
                + "multiIf(key_kind = 'session', cityHash64('s-1'), key_kind = 'user', cityHash64('alice'), "
                + "cityHash64('t-1')), ts_ms FROM " + client.database() + ".call_correlation_times "
                + "WHERE ts_ms IN (SELECT ts_ms FROM " + client.database() + ".calls WHERE server = 'other')");

        assertEquals(List.of("mine"), servers("session_id", "s-1"));
        assertEquals(List.of("mine"), servers("user", "alice"));
        assertEquals(List.of("mine"), servers("trace_id", "t-1"));
        assertEquals(List.of("other"), servers("session_id", "s-2"), "its own key still finds it");
    }

    @Test
    void aCallOfAnotherKeyInTheSameMillisecondIsNotFound() {
        new ClickHousePipelineStore(client, Clock.systemUTC()).writeCalls(List.of(
                call("mine", "s-1", "alice", "t-1", 30), call("neighbour", "s-3", "carol", "t-3", 30)));

        assertEquals(List.of("mine"), servers("session_id", "s-1"));
        assertEquals(List.of("mine"), servers("user", "alice"));
        assertEquals(List.of("neighbour"), servers("trace_id", "t-3"));
    }
}

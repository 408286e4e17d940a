package io.mcpslo.processor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseTestSupport;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retention drops whole days older than the configured number of days, and nothing newer. */
class AuditRetentionIT {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static ClickHouseClient client;

    @BeforeAll
    static void start() {
        client = ClickHouseTestSupport.freshDatabase("retention");
        new ClickHousePipelineStore(client, Clock.systemUTC()).prepare();
    }

    @AfterAll
    static void stop() {
        ClickHouseTestSupport.drop(client);
    }

    @Test
    void daysOlderThanTheRetentionAreDroppedWholeAndNewerOnesStay() {
        List<ChainedAudit> chain = new ArrayList<>();
        AuditChain.Link link = null;
        for (int daysAgo : new int[] {500, 401, 399, 1}) {
            var envelope = new EventEnvelope(UUID.randomUUID(), NOW.minus(Duration.ofDays(daysAgo)), "gw", "jira", null,
                    null, null, null, null, null, null, null, null);
            var event = new AuditEvent(envelope, "alice", null, "tools/call", null, null, AuditEvent.Decision.ALLOW, null,
                    "ok", null);
            link = AuditChain.next(link, 0, event);
            chain.add(new ChainedAudit(event, link, NOW));
        }
        new ClickHousePipelineStore(client, Clock.systemUTC()).write(new PipelineStore.Batch(List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), chain, List.of()));

        List<String> dropped = new AuditRetention(client, 400).dropExpired(NOW);

        assertTrue(dropped.contains("audit_log/20250713"), dropped.toString());
        assertTrue(dropped.stream().anyMatch(d -> d.startsWith("audit_log_by_resource/")), dropped.toString());
        List<Long> left = client.query("SELECT chain_seq FROM " + client.database() + ".audit_log ORDER BY chain_seq")
                .stream().map(row -> row.get("chain_seq").asLong()).toList();
        assertEquals(List.of(3L, 4L), left, "399 days and 1 day ago stay");
        assertEquals(List.of(), new AuditRetention(client, 400).dropExpired(NOW), "nothing more to drop");
    }
}

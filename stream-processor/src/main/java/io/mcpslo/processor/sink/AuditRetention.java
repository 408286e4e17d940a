package io.mcpslo.processor.sink;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the audit tables to {@code AUDIT_RETENTION_DAYS}: whole daily partitions older than that are dropped
 * (ClickHouse 18.16 has no TTL). The chain then starts at the oldest kept event, whose predecessor is gone by
 * design; the verifier reports that as the start of the retained chain, not as a deletion.
 */
public final class AuditRetention {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    private static final List<String> DAILY_TABLES = List.of("audit_log", "audit_log_by_resource", "audit_events");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final ClickHouseClient client;
    private final int retentionDays;

    public AuditRetention(ClickHouseClient client, int retentionDays) {
        this.client = client;
        this.retentionDays = retentionDays;
    }

    /** Drops the daily partitions that ended before now − retention; returns "table/partition" of each dropped. */
    public List<String> dropExpired(Instant now) {
        String cutoff = DAY.format(now.minus(java.time.Duration.ofDays(retentionDays)));
        List<String> dropped = new ArrayList<>();
        for (String table : DAILY_TABLES) {
            String sql = "SELECT DISTINCT partition FROM system.parts WHERE active AND database = "
                    + SqlLiteral.string(client.database()) + " AND table = " + SqlLiteral.string(
                    table.equals("audit_log_by_resource") ? ".inner.audit_log_by_resource" : table)
                    + " AND partition < " + SqlLiteral.string(cutoff);
            for (var row : client.query(sql)) {
                String partition = row.get("partition").asText();
                if (!partition.matches("[0-9]{8}")) {
                    continue;
                }
                client.execute("ALTER TABLE " + client.database() + "." + SqlLiteral.identifier(table)
                        + " DROP PARTITION " + partition);
                dropped.add(table + "/" + partition);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("audit retention ({} days): dropped {}", retentionDays, dropped);
        }
        return dropped;
    }
}

package io.mcpslo.processor.sink;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SqlLiteral;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each table to its retention by dropping whole partitions (ClickHouse 18.16 has no TTL): a daily
 * partition once its day is older than the retention, a monthly one once its whole month is. For the audit
 * tables the chain then starts at the oldest kept event, whose predecessor is gone by design; the verifier
 * reports that as the start of the retained chain, not as a deletion.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC);

    /** One table's rule: its partitions are days or months, kept for this many days. */
    private record Rule(String table, String partsTable, boolean daily, int days) {
    }

    private final ClickHouseClient client;
    private final List<Rule> rules;

    public Retention(ClickHouseClient client, RetentionSettings settings) {
        this.client = client;
        this.rules = List.of(
                new Rule("audit_log", "audit_log", true, settings.auditDays()),
                new Rule("audit_log_by_resource", ".inner.audit_log_by_resource", true, settings.auditDays()),
                new Rule("audit_events", "audit_events", true, settings.auditDays()),
                new Rule("audit_digests", "audit_digests", false, settings.auditDays()),
                new Rule("calls", "calls", true, settings.callsDays()),
                new Rule("calls_by_correlation", "calls_by_correlation", true, settings.callsDays()),
                new Rule("calls_by_time", "calls_by_time", true, settings.callsDays()),
                new Rule("call_rollups_1m", "call_rollups_1m", false, settings.rollupDays()),
                new Rule("slo_status", "slo_status", false, settings.statusDays()),
                new Rule("alert_events", "alert_events", false, settings.alertDays()),
                new Rule("alert_deliveries", "alert_deliveries", false, settings.alertDays()),
                new Rule("sink_dead_letters", "sink_dead_letters", false, settings.deadLetterDays()));
    }

    /** Drops the partitions that ended before now − retention; returns "table/partition" of each dropped. */
    public List<String> dropExpired(Instant now) {
        List<String> dropped = new ArrayList<>();
        for (Rule rule : rules) {
            Instant cutoff = now.minus(Duration.ofDays(rule.days()));
            // a partition named below the cutoff's own day or month ended before the cutoff
            String below = (rule.daily() ? DAY : MONTH).format(cutoff);
            String sql = "SELECT DISTINCT partition FROM system.parts WHERE active AND database = "
                    + SqlLiteral.string(client.database()) + " AND table = " + SqlLiteral.string(rule.partsTable())
                    + " AND partition < " + SqlLiteral.string(below);
            for (var row : client.query(sql)) {
                String partition = row.get("partition").asText();
                if (!partition.matches(rule.daily() ? "[0-9]{8}" : "[0-9]{6}")) {
                    continue;
                }
                client.execute("ALTER TABLE " + client.database() + "." + SqlLiteral.identifier(rule.table())
                        + " DROP PARTITION " + partition);
                dropped.add(rule.table() + "/" + partition);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("retention dropped {}", dropped);
        }
        return dropped;
    }
}

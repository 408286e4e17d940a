package io.mcpslo.clickhouse.storage;

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
 * Keeps each table to its retention (ClickHouse 18.16 has no TTL). Tables that grow with traffic are partitioned by
 * time and lose whole partitions: a daily one once its day is older than the retention, a monthly one once its whole
 * month is. The few small tables without a time partition (silences, weekly reports, acknowledgements: rows per human
 * act, not per event) lose their old rows by one delete, run only when there are some. For the audit tables the chain
 * then starts at the oldest kept event, whose predecessor is gone by design; the verifier reports that as the start
 * of the retained chain, not as a deletion.
 *
 * <p>Tables with no rule, and why: {@code rollup_rolls} (one row per roller, replaced in place) and
 * {@code schema_migrations} (one row per migration) do not grow; the materialized views hold no rows of their own.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC);
    private static final long SECONDS_PER_DAY = 86_400;

    /** How a table's partitions are named. */
    enum Partitioning {
        /** toYYYYMMDD(ts): dropped once the day is older than the retention. */
        DAY,
        /** toYYYYMM(ts): dropped once the whole month is older. */
        MONTH,
        /** intDiv(epoch seconds, 86400), the UTC day number the rollup roller swaps: dropped like DAY. */
        UTC_DAY_NUMBER,
        /** No time partition: rows whose {@link Rule#timeColumn} is older are deleted. */
        NONE
    }

    /** One table's rule: how it is partitioned (or which column dates its rows), kept for this many days. */
    record Rule(String table, String partsTable, Partitioning partitioning, String timeColumn, int days) {
        static Rule partitioned(String table, Partitioning partitioning, int days) {
            return new Rule(table, table, partitioning, null, days);
        }
    }

    private final ClickHouseClient client;
    private final List<Rule> rules;

    public Retention(ClickHouseClient client, RetentionSettings settings) {
        this.client = client;
        this.rules = rules(settings);
    }

    /** Every table of the DDL that grows, with its rule. */
    static List<Rule> rules(RetentionSettings settings) {
        return List.of(
                Rule.partitioned("audit_log", Partitioning.DAY, settings.auditDays()),
                new Rule("audit_log_by_resource", ".inner.audit_log_by_resource", Partitioning.DAY, null,
                        settings.auditDays()),
                Rule.partitioned("audit_events", Partitioning.DAY, settings.auditDays()),
                Rule.partitioned("audit_digests", Partitioning.MONTH, settings.auditDays()),
                Rule.partitioned("calls", Partitioning.DAY, settings.callsDays()),
                Rule.partitioned("call_correlation_times", Partitioning.DAY, settings.callsDays()),
                Rule.partitioned("calls_by_time", Partitioning.DAY, settings.callsDays()),
                Rule.partitioned("call_rollups_1m", Partitioning.MONTH, settings.rollupDays()),
                Rule.partitioned("call_rollups_1m_by_time", Partitioning.UTC_DAY_NUMBER, settings.byTimeRollupDays()),
                Rule.partitioned("call_rollups_1m_by_server", Partitioning.UTC_DAY_NUMBER, settings.rollupDays()),
                Rule.partitioned("call_rollups_5m_by_server", Partitioning.UTC_DAY_NUMBER, settings.rollupDays()),
                Rule.partitioned("call_rollups_1h", Partitioning.UTC_DAY_NUMBER, settings.hourlyRollupDays()),
                Rule.partitioned("call_rollups_1d", Partitioning.UTC_DAY_NUMBER, settings.dailyRollupDays()),
                Rule.partitioned("call_rollups_1h_by_server", Partitioning.UTC_DAY_NUMBER, settings.hourlyRollupDays()),
                Rule.partitioned("call_rollups_1d_by_server", Partitioning.UTC_DAY_NUMBER, settings.dailyRollupDays()),
                Rule.partitioned("call_rollups_touched", Partitioning.DAY, RetentionSettings.ROLLUP_TOUCH_DAYS),
                Rule.partitioned("slo_status", Partitioning.MONTH, settings.statusDays()),
                Rule.partitioned("alert_events", Partitioning.MONTH, settings.alertDays()),
                Rule.partitioned("alert_deliveries", Partitioning.MONTH, settings.alertDays()),
                Rule.partitioned("sink_dead_letters", Partitioning.MONTH, settings.deadLetterDays()),
                // a later revision of a silence or report has a later time, so the last form goes last
                new Rule("silences", "silences", Partitioning.NONE, "updated_at", settings.silenceDays()),
                new Rule("weekly_reports", "weekly_reports", Partitioning.NONE, "generated_at", settings.reportDays()),
                new Rule("alert_acks", "alert_acks", Partitioning.NONE, "at", settings.alertDays()));
    }

    /** Drops what is older than now − retention; returns "table/partition" (or "table/before-day") of each drop. */
    public List<String> dropExpired(Instant now) {
        List<String> dropped = new ArrayList<>();
        for (Rule rule : rules) {
            Instant cutoff = now.minus(Duration.ofDays(rule.days()));
            if (rule.partitioning() == Partitioning.NONE) {
                deleteRows(rule, cutoff, dropped);
            } else {
                dropPartitions(rule, cutoff, dropped);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("retention dropped {}", dropped);
        }
        return dropped;
    }

    private void dropPartitions(Rule rule, Instant cutoff, List<String> dropped) {
        // a partition named below the cutoff's own day or month ended before the cutoff
        String below = switch (rule.partitioning()) {
            case DAY -> "'" + DAY.format(cutoff) + "'";
            case MONTH -> "'" + MONTH.format(cutoff) + "'";
            case UTC_DAY_NUMBER -> Long.toString(Math.floorDiv(cutoff.getEpochSecond(), SECONDS_PER_DAY));
            case NONE -> throw new IllegalArgumentException(rule.table() + " has no time partition");
        };
        String partitionValue = rule.partitioning() == Partitioning.UTC_DAY_NUMBER ? "toUInt64(partition)" : "partition";
        String sql = "SELECT DISTINCT partition FROM system.parts WHERE active AND database = "
                + SqlLiteral.string(client.database()) + " AND table = " + SqlLiteral.string(rule.partsTable())
                + " AND match(partition, '^[0-9]{1,8}$') AND " + partitionValue + " < " + below;
        for (var row : client.query(sql)) {
            String partition = row.get("partition").asText();
            if (!partition.matches("[0-9]{1,8}")) {
                continue;
            }
            client.execute("ALTER TABLE " + client.database() + "." + SqlLiteral.identifier(rule.table())
                    + " DROP PARTITION " + partition);
            dropped.add(rule.table() + "/" + partition);
        }
    }

    private void deleteRows(Rule rule, Instant cutoff, List<String> dropped) {
        String table = client.database() + "." + SqlLiteral.identifier(rule.table());
        String older = SqlLiteral.identifier(rule.timeColumn()) + " < toDateTime(" + cutoff.getEpochSecond() + ")";
        // a delete is a mutation that runs in the background: one still running is not asked for again
        boolean running = client.query("SELECT count() AS n FROM system.mutations WHERE NOT is_done AND database = "
                + SqlLiteral.string(client.database()) + " AND table = " + SqlLiteral.string(rule.table()))
                .get(0).get("n").asLong() > 0;
        if (running || client.query("SELECT count() AS n FROM " + table + " WHERE " + older).get(0).get("n").asLong() == 0) {
            return;
        }
        client.execute("ALTER TABLE " + table + " DELETE WHERE " + older);
        dropped.add(rule.table() + "/before-" + DAY.format(cutoff));
    }
}

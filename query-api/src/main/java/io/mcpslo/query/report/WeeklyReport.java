package io.mcpslo.query.report;

import io.mcpslo.storage.report.ToolFailures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * One team's SLO report for one ISO week (Monday 00:00 to Monday 00:00 in the report's time zone): per SLO the
 * week's attainment, budget spent, peak burn rates, alerts and p95 trend; the five worst tools; and how far calls
 * have moved off the older versions of versioned tools ({@code search_code_v1} → {@code _v2}).
 */
public record WeeklyReport(String team, String isoWeek, LocalDate weekStart, ZoneId zone, Instant from, Instant to,
                           Instant generatedAt, List<SloSection> slos, List<ToolFailures> worstTools,
                           List<Migration> migrations) {

    public WeeklyReport {
        slos = List.copyOf(slos);
        worstTools = List.copyOf(worstTools);
        migrations = List.copyOf(migrations);
    }

    /**
     * One SLO's week, every figure computed from the stored rollups by the SLO engine's replay: attainment, the
     * budget the week spent and the budget spent over the SLO window at the week's end (fractions of the window's
     * budget then), the highest burn rates in the week. Nullable numbers are null when there was no traffic to say.
     */
    public record SloSection(String id, String description, String sliKind, double objective, String window,
                             long good, long bad, Double attainment, Double budgetConsumedThisWeek,
                             Double budgetConsumedWindow, Double peakBurn1h, Double peakBurn6h, Double peakBurn1d,
                             List<AlertSummary> alerts, Double p95Ms, Double p95PreviousWeekMs, List<DailySli> days) {
        public SloSection {
            alerts = List.copyOf(alerts);
            days = List.copyOf(days);
        }

        public boolean met() {
            return attainment == null || attainment >= objective;
        }
    }

    /**
     * An alert that fired during the week, and how long it lasted (to the week's end if still firing). {@code live}
     * when the alert history holds it (it was sent); otherwise the rules, replayed on the stored rollups, would have
     * fired it, but nobody evaluated the SLO live then (a back-fill, an import, the processor down, a new SLO).
     */
    public record AlertSummary(String alert, String severity, Instant firedAt, Instant resolvedAt, Duration duration,
                               boolean live) {
    }

    /** One day's SLI of an SLO, for the chart. */
    public record DailySli(LocalDate day, long good, long bad) {
        public Double sli() {
            return good + bad == 0 ? null : (double) good / (good + bad);
        }
    }

    /** The calls of each version of a versioned tool this week and last, oldest version first. */
    public record Migration(String server, String baseName, List<VersionShare> versions) {
        public Migration {
            versions = List.copyOf(versions);
        }
    }

    public record VersionShare(String tool, long calls, double share, double sharePreviousWeek) {
    }
}

package io.mcpslo.query.report;

import io.mcpslo.common.text.UntrustedText;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Writes a weekly report as Markdown, or as one self-contained, printable HTML page with inline SVG charts. */
public final class ReportRenderer {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    private ReportRenderer() {
    }

    public static String markdown(WeeklyReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# SLO report — team ").append(md(report.team())).append(", week ").append(report.isoWeek()).append("\n\n");
        md.append("From ").append(report.weekStart()).append(" to ").append(report.weekStart().plusDays(7))
                .append(" (").append(report.zone().getId()).append("), generated ").append(report.generatedAt())
                .append(".\n\n");
        md.append("| SLO | objective | this week | met | budget used this week | budget used in window | "
                + "peak burn 1h / 6h / 1d | p95 (previous week) |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (WeeklyReport.SloSection slo : report.slos()) {
            md.append("| ").append(md(slo.id())).append(" | ").append(percent(slo.objective())).append(" | ")
                    .append(slo.attainment() == null ? "no traffic" : percent(slo.attainment())).append(" | ")
                    .append(slo.met() ? "yes" : "**no**").append(" | ").append(fraction(slo.budgetConsumedThisWeek()))
                    .append(" | ").append(fraction(slo.budgetConsumedWindow())).append(" | ")
                    .append(number(slo.peakBurn1h())).append(" / ").append(number(slo.peakBurn6h())).append(" / ")
                    .append(number(slo.peakBurn1d())).append(" | ").append(ms(slo.p95Ms())).append(" (")
                    .append(ms(slo.p95PreviousWeekMs())).append(") |\n");
        }
        md.append("\n## Alerts\n\n");
        boolean any = false;
        for (WeeklyReport.SloSection slo : report.slos()) {
            for (WeeklyReport.AlertSummary alert : slo.alerts()) {
                any = true;
                md.append("- ").append(md(slo.id())).append(": ").append(alert.alert()).append(" (").append(alert.severity())
                        .append(") fired ").append(alert.firedAt()).append(", ")
                        .append(alert.resolvedAt() == null ? "still firing at the week's end" : "resolved after "
                                + duration(alert.duration())).append("\n");
            }
        }
        if (!any) {
            md.append("No alert fired.\n");
        }
        md.append("\n## Five worst tools\n\n| server | tool | calls | tool errors | transport errors |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (WeeklyReport.ToolFailures tool : report.worstTools()) {
            md.append("| ").append(md(tool.server())).append(" | ").append(md(tool.tool())).append(" | ").append(tool.calls())
                    .append(" | ").append(tool.toolErrors()).append(" | ").append(tool.transportErrors()).append(" |\n");
        }
        md.append("\n## Tool-version migration\n\n");
        if (report.migrations().isEmpty()) {
            md.append("No tool is served in more than one version.\n");
        }
        for (WeeklyReport.Migration migration : report.migrations()) {
            md.append("- ").append(md(migration.server())).append(" / ").append(md(migration.baseName())).append(": ");
            md.append(String.join(", ", migration.versions().stream().map(version -> md(version.tool()) + " "
                    + percent(version.share()) + " (was " + percent(version.sharePreviousWeek()) + ")").toList()));
            md.append("\n");
        }
        return md.toString();
    }

    public static String html(WeeklyReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SLO report ")
                .append(escape(report.team())).append(' ').append(report.isoWeek()).append("</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
                        + "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3}"
                        + ".bad{color:#b00020;font-weight:bold}.ok{color:#0a7d32}section{page-break-inside:avoid}"
                        + "@media print{body{margin:0}}")
                .append("</style></head><body>");
        html.append("<h1>SLO report — team ").append(escape(report.team())).append(", week ").append(report.isoWeek())
                .append("</h1><p>From ").append(report.weekStart()).append(" to ").append(report.weekStart().plusDays(7))
                .append(" (").append(escape(report.zone().getId())).append("), generated ").append(report.generatedAt())
                .append(".</p>");
        for (WeeklyReport.SloSection slo : report.slos()) {
            html.append("<section><h2>").append(escape(slo.id())).append(" <span class=\"")
                    .append(slo.met() ? "ok\">met" : "bad\">missed").append("</span></h2><p>")
                    .append(escape(slo.description())).append(" — ").append(escape(slo.sliKind())).append(", objective ")
                    .append(percent(slo.objective())).append(" over ").append(escape(slo.window())).append("</p>");
            html.append("<table><tr><th>this week</th><th>good / bad</th><th>budget used this week</th>"
                    + "<th>in window</th><th>peak burn 1h / 6h / 1d</th><th>p95 (previous week)</th></tr><tr><td>")
                    .append(slo.attainment() == null ? "no traffic" : percent(slo.attainment())).append("</td><td>")
                    .append(slo.good()).append(" / ").append(slo.bad()).append("</td><td>")
                    .append(fraction(slo.budgetConsumedThisWeek())).append("</td><td>")
                    .append(fraction(slo.budgetConsumedWindow())).append("</td><td>").append(number(slo.peakBurn1h()))
                    .append(" / ").append(number(slo.peakBurn6h())).append(" / ").append(number(slo.peakBurn1d()))
                    .append("</td><td>").append(ms(slo.p95Ms())).append(" (").append(ms(slo.p95PreviousWeekMs()))
                    .append(")</td></tr></table>");
            html.append(dailyChart(slo));
            if (!slo.alerts().isEmpty()) {
                html.append("<ul>");
                for (WeeklyReport.AlertSummary alert : slo.alerts()) {
                    html.append("<li>").append(escape(alert.alert())).append(" (").append(escape(alert.severity()))
                            .append(") fired ").append(alert.firedAt()).append(", ")
                            .append(alert.resolvedAt() == null ? "still firing" : "lasted " + duration(alert.duration()))
                            .append("</li>");
                }
                html.append("</ul>");
            }
            html.append("</section>");
        }
        html.append("<h2>Five worst tools</h2><table><tr><th>server</th><th>tool</th><th>calls</th>"
                + "<th>tool errors</th><th>transport errors</th></tr>");
        for (WeeklyReport.ToolFailures tool : report.worstTools()) {
            html.append("<tr><td>").append(escape(tool.server())).append("</td><td>").append(escape(tool.tool()))
                    .append("</td><td>").append(tool.calls()).append("</td><td>").append(tool.toolErrors())
                    .append("</td><td>").append(tool.transportErrors()).append("</td></tr>");
        }
        html.append("</table><h2>Tool-version migration</h2><table><tr><th>tool</th><th>calls</th><th>share</th>"
                + "<th>share last week</th></tr>");
        for (WeeklyReport.Migration migration : report.migrations()) {
            for (WeeklyReport.VersionShare version : migration.versions()) {
                html.append("<tr><td>").append(escape(migration.server() + " / " + version.tool())).append("</td><td>")
                        .append(version.calls()).append("</td><td>").append(percent(version.share())).append("</td><td>")
                        .append(percent(version.sharePreviousWeek())).append("</td></tr>");
            }
        }
        return html.append("</table></body></html>\n").toString();
    }

    /** Seven bars: each day's SLI, with the objective as a line; drawn inline so the page needs nothing else. */
    private static String dailyChart(WeeklyReport.SloSection slo) {
        int width = 420;
        int height = 120;
        double floor = Math.max(0, Math.min(slo.objective() - 0.05, slo.days().stream()
                .map(WeeklyReport.DailySli::sli).filter(java.util.Objects::nonNull).min(Double::compare).orElse(1.0)));
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width
                + "\" height=\"" + (height + 20) + "\" role=\"img\" aria-label=\"daily SLI\">");
        int barWidth = width / Math.max(1, slo.days().size());
        for (int i = 0; i < slo.days().size(); i++) {
            WeeklyReport.DailySli day = slo.days().get(i);
            Double sli = day.sli();
            double fill = sli == null ? 0 : (sli - floor) / Math.max(1e-9, 1 - floor);
            int barHeight = (int) Math.round(Math.max(0, Math.min(1, fill)) * height);
            svg.append("<rect x=\"").append(i * barWidth + 4).append("\" y=\"").append(height - barHeight)
                    .append("\" width=\"").append(barWidth - 8).append("\" height=\"").append(barHeight)
                    .append("\" fill=\"").append(sli == null || sli >= slo.objective() ? "#3b82f6" : "#b00020")
                    .append("\"><title>").append(day.day()).append(": ").append(sli == null ? "no traffic" : percent(sli))
                    .append("</title></rect><text x=\"").append(i * barWidth + 4).append("\" y=\"").append(height + 14)
                    .append("\" font-size=\"10\">").append(DAY.format(day.day())).append("</text>");
        }
        int objectiveY = (int) Math.round(height - (slo.objective() - floor) / Math.max(1e-9, 1 - floor) * height);
        svg.append("<line x1=\"0\" x2=\"").append(width).append("\" y1=\"").append(objectiveY).append("\" y2=\"")
                .append(objectiveY).append("\" stroke=\"#b00020\" stroke-dasharray=\"4 3\"/></svg>");
        return svg.toString();
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.3f %%", value * 100);
    }

    private static String fraction(Double value) {
        return value == null ? "–" : percent(value);
    }

    private static String number(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ms(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f ms", value);
    }

    private static String duration(Duration duration) {
        return duration.toHours() > 0 ? duration.toHours() + " h " + duration.toMinutesPart() + " min"
                : duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }

    static String escape(String text) {
        return UntrustedText.html(text);
    }

    /** Server and tool names come from event data: in Markdown (and in Slack, which gets this text) they stay text. */
    private static String md(String text) {
        return UntrustedText.markdown(text);
    }
}

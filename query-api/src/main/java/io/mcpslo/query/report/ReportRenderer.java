package io.mcpslo.query.report;

import io.mcpslo.storage.report.ToolFailures;
import io.mcpslo.common.text.UntrustedText;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Writes a weekly report as Markdown, or as one self-contained, printable HTML page with inline SVG charts. */
public final class ReportRenderer {

    /** The daily chart: seven columns wide enough for a "Wed 18 Nov" label each, and the axis labels at the left. */
    static final int CHART_WIDTH = 640;
    static final int CHART_HEIGHT = 150;
    private static final int AXIS_WIDTH = 52;
    private static final int LABEL_HEIGHT = 22;
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private ReportRenderer() {
    }

    private static String generated(WeeklyReport report) {
        return GENERATED.format(report.generatedAt().atZone(report.zone())) + " " + report.zone().getId();
    }

    private static String attainment(WeeklyReport.SloSection slo) {
        return slo.attainment() == null ? "no traffic" : ReportFormat.percent(slo.attainment());
    }

    private static String peaks(WeeklyReport.SloSection slo) {
        return ReportFormat.burn(slo.peakBurn1h()) + " / " + ReportFormat.burn(slo.peakBurn6h()) + " / "
                + ReportFormat.burn(slo.peakBurn1d());
    }

    private static String p95(WeeklyReport.SloSection slo) {
        return ReportFormat.latency(slo.p95Ms()) + " (" + ReportFormat.latency(slo.p95PreviousWeekMs()) + ")";
    }

    private static String daySli(WeeklyReport.DailySli day) {
        return day.sli() == null ? ReportFormat.NONE : ReportFormat.percent(day.sli());
    }

    /** "page (page) fired Tue 17 Nov 10:00, resolved after 45 min", and whether only the replayed rules fired it. */
    private static String alert(WeeklyReport.AlertSummary alert, ZoneId zone) {
        return alert.alert() + " (" + alert.severity() + ") fired " + ReportFormat.time(alert.firedAt(), zone) + ", "
                + (alert.resolvedAt() == null ? "still firing at the week's end (" + ReportFormat.duration(alert.duration())
                        + ")" : "resolved after " + ReportFormat.duration(alert.duration()))
                + (alert.live() ? "" : " — would have fired (the rules replayed on the stored calls; no alert was sent)");
    }

    public static String markdown(WeeklyReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# SLO report — team ").append(md(report.team())).append(", week ").append(report.isoWeek()).append("\n\n");
        md.append("From ").append(report.weekStart()).append(" to ").append(report.weekStart().plusDays(7))
                .append(" (").append(report.zone().getId()).append("), generated ").append(generated(report))
                .append(". Every figure is computed from the stored calls.\n\n");
        md.append("| SLO | objective | this week | met | calls (failed) | budget used this week | budget used in window | "
                + "peak burn 1h / 6h / 1d | p95 (previous week) |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (WeeklyReport.SloSection slo : report.slos()) {
            md.append("| ").append(md(slo.id())).append(" | ").append(ReportFormat.objective(slo.objective())).append(" | ")
                    .append(attainment(slo)).append(" | ").append(slo.met() ? "yes" : "**no**").append(" | ")
                    .append(ReportFormat.count(slo.good() + slo.bad())).append(" (").append(ReportFormat.count(slo.bad()))
                    .append(") | ").append(ReportFormat.budget(slo.budgetConsumedThisWeek())).append(" | ")
                    .append(ReportFormat.budget(slo.budgetConsumedWindow())).append(" | ").append(peaks(slo))
                    .append(" | ").append(p95(slo)).append(" |\n");
        }
        if (!report.slos().isEmpty()) {
            md.append("\n## Daily SLI\n\n| SLO |");
            List<WeeklyReport.DailySli> days = report.slos().get(0).days();
            days.forEach(day -> md.append(' ').append(ReportFormat.day(day.day())).append(" |"));
            md.append("\n| --- |").append(" ---: |".repeat(days.size())).append('\n');
            for (WeeklyReport.SloSection slo : report.slos()) {
                md.append("| ").append(md(slo.id())).append(" |");
                slo.days().forEach(day -> md.append(' ').append(daySli(day)).append(" |"));
                md.append('\n');
            }
        }
        md.append("\n## Alerts\n\n");
        boolean any = false;
        for (WeeklyReport.SloSection slo : report.slos()) {
            for (WeeklyReport.AlertSummary alert : slo.alerts()) {
                any = true;
                md.append("- ").append(md(slo.id())).append(": ").append(alert(alert, report.zone())).append("\n");
            }
        }
        if (!any) {
            md.append("No alert fired.\n");
        }
        md.append("\n## Five worst tools\n\n| server | tool | calls | tool errors | transport errors |\n"
                + "| --- | --- | ---: | ---: | ---: |\n");
        for (ToolFailures tool : report.worstTools()) {
            md.append("| ").append(md(tool.server())).append(" | ").append(md(tool.tool())).append(" | ")
                    .append(ReportFormat.count(tool.calls())).append(" | ").append(ReportFormat.count(tool.toolErrors()))
                    .append(" | ").append(ReportFormat.count(tool.transportErrors())).append(" |\n");
        }
        md.append("\n## Tool-version migration\n\n");
        if (report.migrations().isEmpty()) {
            md.append("No tool is served in more than one version.\n");
        }
        for (WeeklyReport.Migration migration : report.migrations()) {
            md.append("- ").append(md(migration.server())).append(" / ").append(md(migration.baseName())).append(": ");
            md.append(String.join(", ", migration.versions().stream().map(version -> md(version.tool()) + " "
                    + ReportFormat.percent(version.share()) + " (was " + ReportFormat.percent(version.sharePreviousWeek())
                    + ")").toList()));
            md.append("\n");
        }
        return md.toString();
    }

    /**
     * One self-contained page, well-formed XHTML (so the PDF renderer reads the very same text), with the charts as
     * inline SVG and no script.
     */
    public static String html(WeeklyReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
                        + "<meta charset=\"utf-8\"/><title>SLO report ")
                .append(escape(report.team())).append(' ').append(report.isoWeek()).append("</title><style>")
                .append("@page{size:A4;margin:14mm}"
                        + "body{font-family:'DejaVu Sans',system-ui,sans-serif;font-size:13px;line-height:1.4;margin:2em;"
                        + "color:#222}table{border-collapse:collapse;margin:0.6em 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 7px;text-align:left}th{background:#f3f3f3}"
                        + "td.n{text-align:right;white-space:nowrap}.bad{color:#b00020;font-weight:bold}.ok{color:#0a7d32}"
                        + ".replayed{color:#555;font-style:italic}section{page-break-inside:avoid}"
                        + "svg text{font-family:'DejaVu Sans',sans-serif}"
                        + "@media print{body{margin:0}}")
                .append("</style></head><body>");
        html.append("<h1>SLO report — team ").append(escape(report.team())).append(", week ").append(report.isoWeek())
                .append("</h1><p>From ").append(report.weekStart()).append(" to ").append(report.weekStart().plusDays(7))
                .append(" (").append(escape(report.zone().getId())).append("), generated ").append(escape(generated(report)))
                .append(". Every figure is computed from the stored calls.</p>");
        for (WeeklyReport.SloSection slo : report.slos()) {
            html.append("<section><h2>").append(escape(slo.id())).append(" <span class=\"")
                    .append(slo.met() ? "ok\">met" : "bad\">missed").append("</span></h2><p>")
                    .append(escape(slo.description())).append(" — ").append(escape(slo.sliKind())).append(", objective ")
                    .append(ReportFormat.objective(slo.objective())).append(" over ").append(escape(slo.window()))
                    .append("</p>");
            html.append("<table><tr><th>this week</th><th>calls (failed)</th><th>budget used this week</th>"
                    + "<th>budget used in window</th><th>peak burn 1h / 6h / 1d</th><th>p95 (previous week)</th></tr>"
                    + "<tr><td class=\"n\">").append(attainment(slo)).append("</td><td class=\"n\">")
                    .append(ReportFormat.count(slo.good() + slo.bad())).append(" (").append(ReportFormat.count(slo.bad()))
                    .append(")</td><td class=\"n\">").append(ReportFormat.budget(slo.budgetConsumedThisWeek()))
                    .append("</td><td class=\"n\">").append(ReportFormat.budget(slo.budgetConsumedWindow()))
                    .append("</td><td class=\"n\">").append(peaks(slo)).append("</td><td class=\"n\">").append(p95(slo))
                    .append("</td></tr></table>");
            html.append(dailyChart(slo));
            if (!slo.alerts().isEmpty()) {
                html.append("<ul>");
                for (WeeklyReport.AlertSummary alert : slo.alerts()) {
                    html.append(alert.live() ? "<li>" : "<li class=\"replayed\">")
                            .append(escape(alert(alert, report.zone()))).append("</li>");
                }
                html.append("</ul>");
            }
            html.append("</section>");
        }
        html.append("<h2>Five worst tools</h2><table><tr><th>server</th><th>tool</th><th>calls</th>"
                + "<th>tool errors</th><th>transport errors</th></tr>");
        for (ToolFailures tool : report.worstTools()) {
            html.append("<tr><td>").append(escape(tool.server())).append("</td><td>").append(escape(tool.tool()))
                    .append("</td><td class=\"n\">").append(ReportFormat.count(tool.calls())).append("</td><td class=\"n\">")
                    .append(ReportFormat.count(tool.toolErrors())).append("</td><td class=\"n\">")
                    .append(ReportFormat.count(tool.transportErrors())).append("</td></tr>");
        }
        html.append("</table><h2>Tool-version migration</h2><table><tr><th>tool</th><th>calls</th><th>share</th>"
                + "<th>share last week</th></tr>");
        for (WeeklyReport.Migration migration : report.migrations()) {
            for (WeeklyReport.VersionShare version : migration.versions()) {
                html.append("<tr><td>").append(escape(migration.server() + " / " + version.tool())).append("</td><td class=\"n\">")
                        .append(ReportFormat.count(version.calls())).append("</td><td class=\"n\">")
                        .append(ReportFormat.percent(version.share())).append("</td><td class=\"n\">")
                        .append(ReportFormat.percent(version.sharePreviousWeek())).append("</td></tr>");
            }
        }
        return html.append("</table></body></html>\n").toString();
    }

    /**
     * One bar per day (each day's SLI) above its day label, on a scale from a floor below the objective to 100 %,
     * with the objective as a dashed line: vector graphics drawn inline, so the page and the PDF need nothing else.
     */
    static String dailyChart(WeeklyReport.SloSection slo) {
        double floor = Math.max(0, Math.min(slo.objective() - 0.05, slo.days().stream()
                .map(WeeklyReport.DailySli::sli).filter(java.util.Objects::nonNull).min(Double::compare).orElse(1.0)));
        double span = Math.max(1e-9, 1 - floor);
        int plotWidth = CHART_WIDTH - AXIS_WIDTH;
        int columns = Math.max(1, slo.days().size());
        double column = (double) plotWidth / columns;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + CHART_WIDTH
                + "\" height=\"" + (CHART_HEIGHT + LABEL_HEIGHT) + "\" viewBox=\"0 0 " + CHART_WIDTH + " "
                + (CHART_HEIGHT + LABEL_HEIGHT) + "\" role=\"img\" aria-label=\"daily SLI of " + escape(slo.id()) + "\">");
        svg.append("<line x1=\"").append(AXIS_WIDTH).append("\" x2=\"").append(CHART_WIDTH).append("\" y1=\"")
                .append(CHART_HEIGHT).append("\" y2=\"").append(CHART_HEIGHT).append("\" stroke=\"#999\"/>");
        double objectiveY = CHART_HEIGHT - (slo.objective() - floor) / span * (CHART_HEIGHT - 10);
        if (objectiveY > 24) {
            svg.append(axisLabel(ReportFormat.percent(1), 10, "#555")); // else the objective's label stands there
        }
        svg.append(axisLabel(ReportFormat.percent(floor), CHART_HEIGHT, "#555"));
        for (int i = 0; i < slo.days().size(); i++) {
            WeeklyReport.DailySli day = slo.days().get(i);
            Double sli = day.sli();
            double fill = sli == null ? 0 : (sli - floor) / span;
            double barHeight = Math.max(sli == null ? 0 : 1, Math.round(Math.max(0, Math.min(1, fill)) * (CHART_HEIGHT - 10)));
            double x = AXIS_WIDTH + i * column;
            svg.append("<rect x=\"").append(round(x + column * 0.15)).append("\" y=\"").append(round(CHART_HEIGHT - barHeight))
                    .append("\" width=\"").append(round(column * 0.7)).append("\" height=\"").append(round(barHeight))
                    .append("\" fill=\"").append(sli == null || sli >= slo.objective() ? "#3b82f6" : "#b00020")
                    .append("\"><title>").append(ReportFormat.day(day.day())).append(": ")
                    .append(sli == null ? "no traffic" : ReportFormat.percent(sli)).append("</title></rect>");
            svg.append("<text x=\"").append(round(x + column / 2)).append("\" y=\"").append(CHART_HEIGHT + 15)
                    .append("\" font-size=\"11\" text-anchor=\"middle\">").append(ReportFormat.day(day.day()))
                    .append("</text>");
        }
        svg.append("<line x1=\"").append(AXIS_WIDTH).append("\" x2=\"").append(CHART_WIDTH).append("\" y1=\"")
                .append(round(objectiveY)).append("\" y2=\"").append(round(objectiveY))
                .append("\" stroke=\"#b00020\" stroke-dasharray=\"4 3\"/>")
                .append(axisLabel(ReportFormat.objective(slo.objective()), objectiveY + 4, "#b00020"));
        return svg.append("</svg>").toString();
    }

    private static String axisLabel(String text, double y, String color) {
        return "<text x=\"" + (AXIS_WIDTH - 4) + "\" y=\"" + round(y) + "\" font-size=\"10\" text-anchor=\"end\" "
                + "fill=\"" + color + "\">" + text + "</text>";
    }

    private static String round(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(String text) {
        return UntrustedText.html(text);
    }

    /** Server and tool names come from event data: in Markdown (and in Slack, which gets this text) they stay text. */
    private static String md(String text) {
        return UntrustedText.markdown(text);
    }
}

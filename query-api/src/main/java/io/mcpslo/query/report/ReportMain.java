package io.mcpslo.query.report;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.SchemaMigrator;
import io.mcpslo.common.config.Settings;
import io.mcpslo.query.QueryConfig;
import io.mcpslo.sloconfig.SloDirectory;
import io.mcpslo.sloconfig.SloFileParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code mcp-slo report [--team T] [--week 2026-W47] [--out DIR]}: generates weekly reports on demand (every team
 * by default, the last complete week by default), stores them like the scheduled ones, and writes the Markdown and
 * HTML files to DIR (default {@code reports/}).
 */
public final class ReportMain {

    private ReportMain() {
    }

    public static void main(String[] args) throws IOException {
        String team = null;
        String week = null;
        Path out = Path.of("reports");
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--team" -> team = args[++i];
                case "--week" -> week = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> usage("unknown option " + args[i]);
            }
        }
        QueryConfig config = QueryConfig.from(Settings.fromEnvironment());
        var slos = new SloDirectory(config.sloDirectory(), new SloFileParser(config.environment()));
        slos.reload();
        var client = new ClickHouseClient(config.clickHouse());
        new SchemaMigrator(client).migrate();
        var service = new ReportService(new ClickHouseReportStore(client), () -> slos.current().slos(),
                config.reportZone(), config.reportWebhook(), Clock.systemUTC());
        String isoWeek = week == null ? service.lastCompletedWeek() : week;
        if (IsoWeek.monday(isoWeek).isEmpty()) {
            usage("--week must be an ISO week such as 2026-W47");
        }
        List<String> teams = team == null ? service.teams() : List.of(team);
        if (teams.isEmpty() || team != null && !service.teams().contains(team)) {
            usage("no SLO in " + config.sloDirectory() + " belongs to " + (team == null ? "any team" : "team " + team));
        }
        Files.createDirectories(out);
        for (String each : teams) {
            WeeklyReport report = service.generate(each, isoWeek);
            Path markdown = out.resolve(each + "-" + isoWeek + ".md");
            Path html = out.resolve(each + "-" + isoWeek + ".html");
            Files.writeString(markdown, ReportRenderer.markdown(report));
            Files.writeString(html, ReportRenderer.html(report));
            System.out.println(markdown + "  " + html);
        }
    }

    private static void usage(String problem) {
        System.err.println("mcp-slo report: " + problem);
        System.err.println("usage: mcp-slo report [--team <team>] [--week <YYYY-Www>] [--out <dir>]");
        System.exit(2);
    }
}

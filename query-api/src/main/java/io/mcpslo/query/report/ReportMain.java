package io.mcpslo.query.report;

import io.mcpslo.common.config.Settings;
import io.mcpslo.query.QueryConfig;
import io.mcpslo.sloconfig.SloDirectory;
import io.mcpslo.storage.Storage;
import io.mcpslo.storage.Storages;
import io.mcpslo.sloconfig.SloFileParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code mcp-slo report [--team T] [--week 2026-W47] [--out DIR] [--format md,html,pdf]}: generates weekly reports on
 * demand (every team by default, the last complete week by default), stores them like the scheduled ones, and writes
 * the files of the asked formats (default Markdown and HTML; pdf renders the HTML page) to DIR (default
 * {@code reports/}).
 */
public final class ReportMain {

    private ReportMain() {
    }

    public static void main(String[] args) throws IOException {
        String team = null;
        String week = null;
        Path out = Path.of("reports");
        Set<String> formats = new LinkedHashSet<>(List.of("md", "html"));
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--team" -> team = args[++i];
                case "--week" -> week = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--format" -> {
                    formats = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    if (formats.isEmpty() || !Set.of("md", "html", "pdf").containsAll(formats)) {
                        usage("--format takes md, html, pdf or a list such as md,pdf");
                    }
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        QueryConfig config = QueryConfig.from(Settings.fromEnvironment());
        var slos = new SloDirectory(config.sloDirectory(), new SloFileParser(config.environment()));
        slos.reload();
        Storage storage = Storages.open(config.storage(), Clock.systemUTC());
        storage.prepare();
        var service = new ReportService(storage.reports(), () -> slos.current().slos(),
                config.reportZone(), config.reportWebhook(), config.reportWebhookPdf(), Clock.systemUTC());
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
            List<String> written = new ArrayList<>();
            for (String format : formats) {
                Path file = out.resolve(each + "-" + isoWeek + "." + format);
                switch (format) {
                    case "md" -> Files.writeString(file, ReportRenderer.markdown(report));
                    case "html" -> Files.writeString(file, ReportRenderer.html(report));
                    default -> Files.write(file, ReportPdf.render(ReportRenderer.html(report)));
                }
                written.add(file.toString());
            }
            System.out.println(String.join("  ", written));
        }
    }

    private static void usage(String problem) {
        System.err.println("mcp-slo report: " + problem);
        System.err.println("usage: mcp-slo report [--team <team>] [--week <YYYY-Www>] [--out <dir>] [--format md,html,pdf]");
        System.exit(2);
    }
}

package io.mcpslo.query.report;

import io.mcpslo.storage.report.ToolFailures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every server and tool name a report prints, each one hostile, shows as itself in Markdown, Slack and HTML. */
class ReportRendererHostileNamesTest {

    private static final WeeklyReport REPORT = report();

    private static WeeklyReport report() {
        List<ToolFailures> worst = new ArrayList<>();
        List<WeeklyReport.Migration> migrations = new ArrayList<>();
        for (String name : HostileNames.ALL) {
            worst.add(new ToolFailures(name, name, 10, 1, 2));
            migrations.add(new WeeklyReport.Migration(name, name, List.of(
                    new WeeklyReport.VersionShare(name + "_v1", 3, 0.3, 0.6),
                    new WeeklyReport.VersionShare(name + "_v2", 7, 0.7, 0.4))));
        }
        return new WeeklyReport("devtools", "2026-W47", LocalDate.parse("2026-11-16"), ZoneId.of("UTC"),
                Instant.parse("2026-11-16T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"),
                Instant.parse("2026-11-25T12:00:00Z"), List.of(), worst, migrations);
    }

    @Test
    void markdownTableCellsHoldEachNameExactlyAndNothingElse() {
        String markdown = ReportRenderer.markdown(REPORT);
        List<String> rows = markdown.lines().filter(line -> line.endsWith(" | 10 | 1 | 2 |")).toList();
        assertEquals(HostileNames.ALL.size(), rows.size(), markdown);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(List.of(HostileNames.ALL.get(i), HostileNames.ALL.get(i), "10", "1", "2"),
                    HostileNames.markdownCells(rows.get(i)));
        }
    }

    @Test
    void namesOpenNoCodeSpanLinkEmphasisMentionOrHtmlInMarkdownOrSlack() {
        String markdown = ReportRenderer.markdown(REPORT);
        // the lines that carry names, with every backslash escape taken out: what could still act as markup
        String names = String.join("\n", markdown.lines()
                .filter(line -> line.endsWith(" | 10 | 1 | 2 |") || line.contains("_v1 30.000 %")).toList())
                .replaceAll("\\\\.", "");
        for (String markup : List.of("`", "[", "]", "**", "~~", "<", ">")) {
            assertFalse(names.contains(markup), markup + " in\n" + names);
        }
        // Slack reads only <…> as control syntax (mentions, links); the whole text holds none
        assertFalse(markdown.contains("<") || markdown.contains(">"));
        assertTrue(markdown.contains("&lt;!channel&gt; &lt;https://example.invalid\\|re-login&gt;"), markdown);
        assertEquals(HostileNames.ALL.size(), markdown.lines().filter(line -> line.startsWith("- ")).count(),
                "one migration line per name: no name broke its line");
    }

    @Test
    void htmlCellsHoldEachNameAsTextOnly() {
        String html = ReportRenderer.html(REPORT);
        assertFalse(html.contains("<script") || html.contains("<img") || html.contains("<a "), "no element from a name");
        Matcher cells = Pattern.compile("<tr><td>([^<>]*)</td><td>([^<>]*)</td><td class=\"n\">10</td>").matcher(html);
        List<String> servers = new ArrayList<>();
        while (cells.find()) {
            assertEquals(cells.group(1), cells.group(2));
            servers.add(HostileNames.htmlText(cells.group(1)));
        }
        assertEquals(HostileNames.ALL, servers);
    }
}

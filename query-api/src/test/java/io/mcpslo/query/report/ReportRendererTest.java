package io.mcpslo.query.report;

import io.mcpslo.storage.report.ToolFailures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report's pages: well-formed, numbers for people, a chart whose seven day labels do not run into each other. */
class ReportRendererTest {

    static WeeklyReport report() {
        LocalDate monday = LocalDate.of(2026, 11, 16);
        List<WeeklyReport.DailySli> days = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            days.add(new WeeklyReport.DailySli(monday.plusDays(i), 10_000 - i * 3L, i * 3L));
        }
        Instant fired = Instant.parse("2026-11-17T10:00:00Z");
        var section = new WeeklyReport.SloSection("github-transport", "GitHub answers", "availability", 0.999,
                "30 days", 69_937, 63, 0.9991, 0.4213, 0.9, 17.54, 6.1, 1.04,
                List.of(new WeeklyReport.AlertSummary("page", "page", fired, fired.plus(Duration.ofMinutes(134)),
                        Duration.ofMinutes(134), true),
                        new WeeklyReport.AlertSummary("ticket", "ticket", fired.plus(Duration.ofDays(2)), null,
                                Duration.ofHours(30), false)),
                87.0, 91.0, days);
        return new WeeklyReport("devtools", "2026-W47", monday, ZoneOffset.UTC,
                monday.atStartOfDay(ZoneOffset.UTC).toInstant(), monday.plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Instant.parse("2026-11-23T00:05:00Z"), List.of(section),
                List.of(new ToolFailures("github", "search_code_v1", 7512, 12, 40)), List.of());
    }

    @Test
    void markdownAndHtmlSayTheSameNumbersAsPeopleWriteThem() {
        String markdown = ReportRenderer.markdown(report());
        String html = ReportRenderer.html(report());
        for (String figure : List.of("99.9 %", "99.91 %", "42.1 %", "90 %", "17.5 / 6.1 / 1", "2 h 14 min", "7,512",
                "70,000 (63)", "Mon 16 Nov", "Sun 22 Nov", "would have fired", "1 d 6 h")) {
            assertTrue(markdown.contains(figure), figure + " in " + markdown);
            assertTrue(html.contains(figure), figure + " in the HTML");
        }
        assertTrue(!markdown.contains("99.900 %") && !html.contains("99.900 %"), "no padded objective");
    }

    @Test
    void theHtmlIsWellFormedXhtmlSoThePdfRendererReadsTheSamePage() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document page = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                ReportRenderer.html(report()).getBytes(StandardCharsets.UTF_8)));
        assertEquals("http://www.w3.org/1999/xhtml", page.getDocumentElement().getNamespaceURI());
        assertEquals(1, page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength());
    }

    @Test
    void theSevenDayLabelsOfTheChartFitSideBySide() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        String svg = ReportRenderer.dailyChart(report().slos().get(0));
        Document chart = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList texts = chart.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<double[]> labels = new ArrayList<>(); // centre, estimated width
        Pattern day = Pattern.compile("[A-Z][a-z]{2} [0-9]{1,2} [A-Z][a-z]{2}");
        for (int i = 0; i < texts.getLength(); i++) {
            Element text = (Element) texts.item(i);
            Matcher matcher = day.matcher(text.getTextContent());
            if (matcher.matches()) {
                assertEquals("middle", text.getAttribute("text-anchor"));
                double size = Double.parseDouble(text.getAttribute("font-size"));
                // a generous average advance of a sans-serif glyph: 0.62 em
                labels.add(new double[] {Double.parseDouble(text.getAttribute("x")),
                        text.getTextContent().length() * size * 0.62});
            }
        }
        assertEquals(7, labels.size());
        double width = Double.parseDouble(chart.getDocumentElement().getAttribute("width"));
        for (int i = 0; i < labels.size(); i++) {
            double[] label = labels.get(i);
            assertTrue(label[0] + label[1] / 2 <= width, "label " + i + " inside the chart");
            if (i > 0) {
                double[] previous = labels.get(i - 1);
                double gap = (label[0] - label[1] / 2) - (previous[0] + previous[1] / 2);
                assertTrue(gap >= 8, "labels " + (i - 1) + " and " + i + " leave " + gap + " px between them");
            }
        }
    }
}

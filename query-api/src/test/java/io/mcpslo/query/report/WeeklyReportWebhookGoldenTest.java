package io.mcpslo.query.report;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpslo.schemas.testing.GoldenFile;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The weekly report webhook's body, with and without the PDF, pinned by golden files. */
class WeeklyReportWebhookGoldenTest {

    private static final String MARKDOWN = """
            # SLO report — team devtools, week 2026-W47

            ## github-transport — met
            availability, objective 99.9 % over 30 days: 99.93 % this week, 42.1 % of the budget used
            """;

    @Test
    void withoutPdf() throws IOException {
        var body = WeeklyReportWebhookV1.withoutPdf("devtools", "2026-W47", MARKDOWN);
        GoldenFile.assertMatches(WeeklyReportWebhookGoldenTest.class, "weekly-report-v1.json", body.json(), body.bytes());
    }

    @Test
    void withPdf() throws IOException {
        var body = new WeeklyReportWebhookV1("devtools", "2026-W47", MARKDOWN, "devtools-2026-W47.pdf", "JVBERi0xLjQK");
        GoldenFile.assertMatches(WeeklyReportWebhookGoldenTest.class, "weekly-report-v1-with-pdf.json", body.json(), body.bytes());
    }

    @Test
    void aPdfNeedsItsNameAndItsBytes() {
        assertThrows(IllegalArgumentException.class,
                () -> new WeeklyReportWebhookV1("devtools", "2026-W47", MARKDOWN, "devtools-2026-W47.pdf", null));
        assertThrows(IllegalArgumentException.class,
                () -> new WeeklyReportWebhookV1("devtools", "2026-W47", MARKDOWN, null, "JVBERi0xLjQK"));
    }
}

package io.mcpslo.query.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;

/**
 * The PDF a manager opens: rendered from the report's HTML, read back by poppler's {@code pdftotext} (as any PDF
 * reader would) for the same figures, with the chart drawn as vectors (its labels as glyph outlines), not as a
 * picture.
 */
class ReportPdfTest {

    @Test
    void thePdfSaysTheFiguresOfTheHtmlAndDrawsItsChartAsVectors() throws Exception {
        byte[] pdf = ReportPdf.render(ReportRenderer.html(ReportRendererTest.report()));
        Path file = Path.of("target/reports/report-pdf-test.pdf");
        Files.createDirectories(file.getParent());
        Files.write(file, pdf);
        assertTrue(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1).equals("%PDF-"), "a PDF");

        String text = PdfText.of(file);
        for (String figure : List.of("SLO report", "devtools", "2026-W47", "github-transport", "99.9 %", "99.91 %",
                "42.1 %", "90 %", "17.5 / 6.1 / 1", "2 h 14 min", "7,512", "70,000 (63)", "would have fired")) {
            assertTrue(text.contains(figure), figure + " in the PDF's text:\n" + text);
        }

        try (PDDocument document = Loader.loadPDF(pdf)) {
            for (PDPage page : document.getPages()) {
                for (COSName name : page.getResources().getXObjectNames()) {
                    assertTrue(!(page.getResources().getXObject(name) instanceof PDImageXObject),
                            "the chart is vector graphics, not a picture");
                }
            }
        }
    }
}

package io.mcpslo.query.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A weekly report as PDF, rendered in-process by openhtmltopdf from the very XHTML page the HTML report is, so the
 * two say the same; its inline SVG charts are drawn as vector graphics (Batik), not pictures.
 */
public final class ReportPdf {

    private ReportPdf() {
    }

    /** The PDF of a report page as {@link ReportRenderer#html} writes it (well-formed XHTML). */
    public static byte[] render(String xhtml) {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.useSVGDrawer(new BatikSVGDrawer());
            builder.withHtmlContent(xhtml, null);
            builder.toStream(pdf);
            builder.run();
        } catch (IOException e) {
            throw new UncheckedIOException("the report could not be rendered as PDF", e);
        }
        return pdf.toByteArray();
    }
}

package io.mcpslo.query.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.EventCodec;
import java.io.UncheckedIOException;

/**
 * The weekly report webhook's body, {@code "schema": "mcp-slo.weekly-report.v1"}: the team, the ISO week, the
 * report as Markdown, and with the PDF attached its file name and Base64 bytes. A public contract pinned by the
 * golden files of {@code WeeklyReportWebhookGoldenTest}: a change to it is a new version, not an edit.
 */
public record WeeklyReportWebhookV1(String team, String week, String markdown, String pdfName, String pdfBase64) {

    public static final String SCHEMA = "mcp-slo.weekly-report.v1";

    public WeeklyReportWebhookV1 {
        if ((pdfName == null) != (pdfBase64 == null)) {
            throw new IllegalArgumentException("a PDF needs both its name and its bytes");
        }
    }

    public static WeeklyReportWebhookV1 withoutPdf(String team, String week, String markdown) {
        return new WeeklyReportWebhookV1(team, week, markdown, null, null);
    }

    public ObjectNode json() {
        ObjectNode body = EventCodec.MAPPER.createObjectNode();
        body.put("schema", SCHEMA);
        body.put("team", team);
        body.put("week", week);
        body.put("text", markdown);
        if (pdfName != null) {
            body.put("pdf_name", pdfName);
            body.put("pdf_base64", pdfBase64);
        }
        return body;
    }

    public byte[] bytes() {
        try {
            return EventCodec.MAPPER.writeValueAsBytes(json());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.storage.audit.AuditStore.ExportFormat;
import java.io.InputStream;
import java.time.Instant;

/** A streamed export answer (audit log, calls): the format a request asks for, and the download it gets. */
final class ExportResponse {

    private ExportResponse() {
    }

    /** {@code format=csv|ndjson}, default ndjson; anything else is a 400 naming {@code format}. */
    static ExportFormat format(Context ctx) {
        String format = RangeParameters.single(ctx.queryParamMap(), "format").orElse("ndjson");
        return switch (format) {
            case "csv" -> ExportFormat.CSV;
            case "ndjson" -> ExportFormat.NDJSON;
            default -> throw new BadRequestException("format", "format must be csv or ndjson; got "
                    + RangeParameters.abbreviate(format));
        };
    }

    /** Streams {@code rows} as a file named after what it holds and its range. */
    static void send(Context ctx, String name, Instant from, Instant to, ExportFormat format, InputStream rows) {
        String extension = format == ExportFormat.CSV ? "csv" : "ndjson";
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "-" + from.getEpochSecond() + "-"
                + to.getEpochSecond() + "." + extension + "\"");
        ctx.contentType(format == ExportFormat.CSV ? "text/csv; charset=utf-8" : "application/x-ndjson");
        ctx.result(rows);
    }
}

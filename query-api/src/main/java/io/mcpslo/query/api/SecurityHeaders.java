package io.mcpslo.query.api;

import io.javalin.http.Context;

/**
 * Headers on every answer. The built-in pages take a bearer token (from the URL fragment or the session), so they
 * run no script but their own files (no inline script, no other origin), may not be framed, and send no referrer;
 * API answers and stored HTML reports may load nothing at all (a report's inline style and SVG only).
 */
final class SecurityHeaders {

    static final String PAGES_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String API_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final String REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", ctx.path().startsWith("/api/") || ctx.path().equals("/metrics")
                ? API_POLICY : PAGES_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** A weekly report downloaded as HTML is a document of its own: its inline style (and nothing else) may apply. */
    static void forDocument(Context ctx) {
        String type = ctx.res().getContentType();
        if (ctx.path().startsWith("/api/") && type != null && type.startsWith("text/html")) {
            ctx.header("Content-Security-Policy", REPORT_POLICY);
        }
    }
}

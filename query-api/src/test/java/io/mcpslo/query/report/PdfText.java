package io.mcpslo.query.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads a PDF's text as a reader would: Debian's poppler-utils {@code pdftotext}, which the tests need. */
public final class PdfText {

    private PdfText() {
    }

    /** The text of a PDF as poppler's pdftotext reads it; fails, saying how to get it, when it is not installed. */
    public static String of(Path pdf) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("pdftotext is not installed: it checks the PDF reports. Install Debian's poppler-utils "
                    + "(apt-get install -y poppler-utils); ./mcp-slo test installs it when missing. (" + e.getMessage() + ")");
            throw e;
        }
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "pdftotext did not finish");
        assertEquals(0, process.exitValue(), "pdftotext failed: " + text);
        return text;
    }
}

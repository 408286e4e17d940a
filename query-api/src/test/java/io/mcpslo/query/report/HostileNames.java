package io.mcpslo.query.report;

import java.util.ArrayList;
import java.util.List;

/** Names a gateway could choose to break out of a document, and how to read a name back from a Markdown table. */
public final class HostileNames {

    public static final List<String> ALL = List.of(
            "a' OR 1=1 OR '",
            "back\\slash\\",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<!channel> <https://example.invalid|re-login>",
            "<@U0123> & <#C0456>",
            "| cell | break |",
            "`code` **bold** [link](https://example.invalid) ~~gone~~",
            "=HYPERLINK(\"https://example.invalid\",\"open\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "ünïcødé € 😀",
            "x".repeat(10_000));

    private HostileNames() {
    }

    /** A GFM table row's cells, read back as CommonMark would (backslash escapes, then entities). */
    public static List<String> markdownCells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String inner = row.substring(2, row.length() - 2);
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length()) {
                cell.append(inner.charAt(++i));
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells.stream().map(text -> text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")).toList();
    }

    /** HTML text read back (the five entities the renderer writes). */
    public static String htmlText(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}

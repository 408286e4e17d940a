package io.mcpslo.common.text;

/**
 * Names that come from event data (servers, tools, actors, reasons: whatever a gateway sent) made inert in the
 * document they are written into, so that a name shows as itself and never as markup, a mention, a link or a
 * table cell boundary.
 */
public final class UntrustedText {

    private UntrustedText() {
    }

    /** For HTML text and double- or single-quoted attribute values. */
    public static String html(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * For Slack message text (also {@code mrkdwn}): Slack's three control characters become the entities Slack
     * documents, so {@code <!channel>}, {@code <@U123>} and {@code <https://x|label>} show as typed instead of
     * mentioning everyone or hiding a link behind a label.
     */
    public static String slack(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * For Markdown text, table cells included, that may also be shown by Slack (a report POSTed as {@code text}):
     * the Slack escapes above, which CommonMark renders back as the characters (and which keep inline HTML out),
     * a backslash before each character that would start a code span, a link, bold, strike-through or a table
     * cell ({@code \ ` * [ ] | ~}), and line breaks as spaces, so a name stays on its line and in its cell.
     * Underscores stay: tool names are full of them, CommonMark does not emphasise inside a word, and Slack, which
     * shows backslashes as typed, would print every {@code search\_code\_v2} so.
     */
    public static String markdown(String text) {
        if (text == null) {
            return "";
        }
        String slackSafe = slack(text);
        StringBuilder out = new StringBuilder(slackSafe.length() + 16);
        for (int i = 0; i < slackSafe.length(); i++) {
            char c = slackSafe.charAt(i);
            switch (c) {
                case '\\', '`', '*', '[', ']', '|', '~' -> out.append('\\').append(c);
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

package io.mcpslo.storage.memory;

/** Text as the ClickHouse sink stores a reason: at most so many characters, controls and lone surrogates as U+FFFD. */
final class Printable {

    private Printable() {
    }

    static String of(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        for (int i = 0; i < text.length() && out.length() < maxChars; ) {
            int codePoint = text.codePointAt(i);
            boolean loneSurrogate = Character.isSurrogate(text.charAt(i)) && Character.charCount(codePoint) == 1;
            out.appendCodePoint(loneSurrogate || Character.isISOControl(codePoint) ? 0xFFFD : codePoint);
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }
}

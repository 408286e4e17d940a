package io.mcpslo.common.text;

import java.nio.charset.StandardCharsets;

/** UTF-8 lengths without encoding: binary writers size their output, and learn of text UTF-8 cannot carry. */
public final class Utf8 {

    /** What {@link #length} answers for a string holding a lone surrogate, which has no UTF-8 form. */
    public static final int LONE_SURROGATE = -1;

    private Utf8() {
    }

    /** The number of bytes of the string's UTF-8 form, or {@link #LONE_SURROGATE}. */
    public static int length(String value) {
        int length = value.length();
        int utf8Length = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    utf8Length += 1;
                } else if (!Character.isSurrogate(c)) {
                    utf8Length += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    utf8Length += 2; // two chars, four bytes
                    i++;
                } else {
                    return LONE_SURROGATE;
                }
            }
        }
        return utf8Length;
    }

    /**
     * Writes the string's UTF-8 form, {@code utf8Length} bytes as {@link #length} counted them, into {@code into}
     * at {@code at}; returns the position after it. ASCII is copied char by char, without an intermediate array.
     */
    public static int write(String value, int utf8Length, byte[] into, int at) {
        if (utf8Length == value.length()) {
            for (int i = 0; i < utf8Length; i++) {
                into[at + i] = (byte) value.charAt(i);
            }
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(utf8, 0, into, at, utf8.length);
        }
        return at + utf8Length;
    }

    /** The index of the string's first lone surrogate, or -1. */
    public static int firstLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}

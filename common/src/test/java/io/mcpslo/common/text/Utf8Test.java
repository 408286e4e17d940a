package io.mcpslo.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void theLengthIsTheEncodersForEveryWellFormedString() {
        for (String text : new String[] {"", "ascii", "é", "€", "日本語", "😀", "a😀b€é"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.length(text), text);
            assertEquals(-1, Utf8.firstLoneSurrogate(text), text);
        }
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < 20; c++) {
                text.appendCodePoint(random.nextInt(4) == 0 ? 0x10000 + random.nextInt(0x100000) : random.nextInt(0xD800));
            }
            assertEquals(text.toString().getBytes(StandardCharsets.UTF_8).length, Utf8.length(text.toString()));
        }
    }

    @Test
    void aLoneSurrogateHasNoLengthAndIsFound() {
        assertEquals(Utf8.LONE_SURROGATE, Utf8.length("x\ud800"));
        assertEquals(Utf8.LONE_SURROGATE, Utf8.length("\udc00x"));
        assertEquals(Utf8.LONE_SURROGATE, Utf8.length("😀\ud800\ud800"));
        assertEquals(1, Utf8.firstLoneSurrogate("x\ud800"));
        assertEquals(0, Utf8.firstLoneSurrogate("\udc00x"));
        assertEquals(3, Utf8.firstLoneSurrogate("😀é\udc00"));
    }
}

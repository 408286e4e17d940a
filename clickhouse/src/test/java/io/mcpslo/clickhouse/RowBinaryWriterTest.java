package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bytes of each type as ClickHouse writes them itself (the expected values were read from 18.16). */
class RowBinaryWriterTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @Test
    void uuidIsItsTwoHalvesLittleEndianAsClickHouseWritesIt() {
        // SELECT toUUID('6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41') FORMAT RowBinary
        byte[] written = new RowBinaryWriter(16).uuid(UUID.fromString("6f1c2a9e-3b7d-4c1e-9a2f-0d5b8e7c6a41"))
                .toByteArray();
        assertArrayEquals(hex("1e4c7d3b9e2a1c6f 416a7c8e5b0d2f9a"), written);
    }

    @Test
    void numbersAreLittleEndianOfTheirWidth() {
        byte[] written = new RowBinaryWriter(0).dateTime(1_764_065_730L).uint16(1000).int32(-32603).int8(3)
                .uint64(1_764_065_730_123L).float64(12.5).toByteArray();
        assertArrayEquals(hex("c2 81 25 69" + "e8 03" + "a5 80 ff ff" + "03" + "4b de 82 ba 9a 01 00 00"
                + "00 00 00 00 00 00 29 40"), written);
    }

    @Test
    void nullablesCarryAMarkerByteBeforeTheValue() {
        byte[] written = new RowBinaryWriter(0).nullableInt32(null).nullableInt32(-1).nullableUInt64(null)
                .nullableUInt64(5120L).toByteArray();
        assertArrayEquals(hex("01" + "00 ffffffff" + "01" + "00 0014000000000000"), written);
    }

    @Test
    void stringsAreAVarintByteCountThenUtf8() {
        String nonAscii = "ü✓😀\u0000";
        byte[] utf8 = nonAscii.getBytes(StandardCharsets.UTF_8);
        byte[] written = new RowBinaryWriter(0).string("").string("ab").string(nonAscii).toByteArray();
        byte[] expected = new byte[1 + 1 + 2 + 1 + utf8.length];
        expected[1] = 2;
        expected[2] = 'a';
        expected[3] = 'b';
        expected[4] = (byte) utf8.length;
        System.arraycopy(utf8, 0, expected, 5, utf8.length);
        assertArrayEquals(expected, written);
    }

    @Test
    void longStringsCountTheirBytesInSeveralVarintBytes() {
        byte[] of128 = new RowBinaryWriter(0).string("x".repeat(128)).toByteArray();
        assertArrayEquals(hex("80 01"), Arrays.copyOf(of128, 2));
        byte[] of300k = new RowBinaryWriter(0).string("é".repeat(150_000)).toByteArray();
        // 300,000 bytes = 0x0493E0: 1100000 | 0x80, 0100111 | 0x80, 0010010
        assertArrayEquals(hex("e0 a7 12"), Arrays.copyOf(of300k, 3));
        assertEquals(3 + 300_000, of300k.length);
    }

    @Test
    void aRealQuestionMarkIsTextNotASurrogatesReplacement() {
        byte[] written = new RowBinaryWriter(0).string("why?").string("?😀?").toByteArray();
        byte[] pair = "?😀?".getBytes(StandardCharsets.UTF_8);
        byte[] expected = new byte[1 + 4 + 1 + pair.length];
        expected[0] = 4;
        System.arraycopy("why?".getBytes(StandardCharsets.UTF_8), 0, expected, 1, 4);
        expected[5] = (byte) pair.length;
        System.arraycopy(pair, 0, expected, 6, pair.length);
        assertArrayEquals(expected, written);
    }

    @Test
    void anArrayIsItsElementCountThenItsElements() {
        byte[] written = new RowBinaryWriter(0).arraySize(2).int32(-1).int32(7).arraySize(0).arraySize(300)
                .toByteArray();
        assertArrayEquals(hex("02 ffffffff 07000000 00 ac02"), written);
        assertThrows(IllegalArgumentException.class, () -> new RowBinaryWriter(0).arraySize(-1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\ud800", "\udc00x", "a\ud800b", "\ud83d", "?\ud800", "ok?\udc00"})
    void aLoneSurrogateIsRefusedNotReplaced(String text) {
        var error = assertThrows(IllegalArgumentException.class, () -> new RowBinaryWriter(0).string(text));
        assertTrue(error.getMessage().contains("surrogate"), error.getMessage());
    }

    @Test
    void valuesOutsideTheirColumnsRangeAreRefusedNotWrapped() {
        var writer = new RowBinaryWriter(0);
        assertThrows(IllegalArgumentException.class, () -> writer.dateTime(-1));
        assertThrows(IllegalArgumentException.class, () -> writer.dateTime(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> writer.uint16(65_536));
        assertThrows(IllegalArgumentException.class, () -> writer.uint16(-1));
        assertThrows(IllegalArgumentException.class, () -> writer.int8(128));
        assertThrows(IllegalArgumentException.class, () -> writer.nullableUInt64(-1L));
        assertEquals(0, writer.size(), "a refused value writes nothing");
    }
}

package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Answers as 18.16 writes them (each expected value read back from the SELECT in its comment). */
class RowBinaryReaderTest {

    // SELECT toUInt32(1793465100), toUInt64(5000000000), CAST([1, -2, 300] AS Array(Int32)),
    //        CAST([7, 8] AS Array(UInt64)), 'héllo', toFloat64(1.5), CAST([] AS Array(Int32)) FORMAT RowBinary
    private static final String ROW = "0c1be66a" + "00f2052a01000000" + "03" + "01000000feffffff2c010000"
            + "02" + "07000000000000000800000000000000" + "06" + "68c3a96c6c6f" + "000000000000f83f" + "00";

    private static RowBinaryReader reader(String hex) {
        return new RowBinaryReader(HexFormat.of().parseHex(hex));
    }

    @Test
    void readsEachColumnTypeAsClickHouseWritesIt() {
        RowBinaryReader row = reader(ROW);
        assertTrue(row.hasMore());
        assertEquals(1_793_465_100L, row.uint32());
        assertEquals(5_000_000_000L, row.uint64());
        assertArrayEquals(new int[] {1, -2, 300}, row.int32Array());
        assertArrayEquals(new long[] {7, 8}, row.uint64Array());
        assertEquals("héllo", row.string());
        assertEquals(1.5, row.float64());
        assertArrayEquals(new int[0], row.int32Array());
        assertFalse(row.hasMore());
    }

    @Test
    void readsRowAfterRow() {
        RowBinaryReader rows = reader(ROW + ROW);
        int count = 0;
        while (rows.hasMore()) {
            assertEquals(1_793_465_100L, rows.uint32());
            rows.uint64();
            rows.int32Array();
            rows.uint64Array();
            rows.string();
            rows.float64();
            rows.int32Array();
            count++;
        }
        assertEquals(2, count);
    }

    @Test
    void uint32AboveTheSignedRangeStaysPositive() {
        assertEquals(4_294_967_295L, reader("ffffffff").uint32());
    }

    @Test
    void multiByteLengthsAreVarints() {
        // SELECT CAST(range(200) AS Array(Int32)): the count 200 is c8 01
        StringBuilder hex = new StringBuilder("c801");
        for (int i = 0; i < 200; i++) {
            hex.append(String.format("%02x%02x0000", i & 0xFF, i >> 8));
        }
        int[] values = reader(hex.toString()).int32Array();
        assertEquals(200, values.length);
        assertEquals(199, values[199]);
    }

    @Test
    void anAnswerCutShortIsRefusedWithWhereItEnded() {
        RowBinaryReader row = reader(ROW.substring(0, 8 + 16 + 2 + 8));
        row.uint32();
        row.uint64();
        IllegalStateException cut = assertThrows(IllegalStateException.class, row::int32Array);
        assertTrue(cut.getMessage().contains("Array(Int32)"), cut.getMessage());
        assertThrows(IllegalStateException.class, () -> reader("0c1be6").uint32());
    }

    @Test
    void aLengthBeyondTheAnswerIsRefusedBeforeAllocating() {
        // a count of 2^28 elements, with nothing after it
        IllegalStateException huge = assertThrows(IllegalStateException.class,
                () -> reader("8080808001").uint64Array());
        assertTrue(huge.getMessage().contains("268435456 elements"), huge.getMessage());
        assertThrows(IllegalStateException.class, () -> reader("ffffffffffff").string());
    }

    @Test
    void aUInt64BeyondJavasLongIsRefusedNotWrapped() {
        byte[] max = new byte[8];
        Arrays.fill(max, (byte) 0xFF);
        assertThrows(IllegalStateException.class, () -> new RowBinaryReader(max).uint64());
    }
}

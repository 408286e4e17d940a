package io.mcpslo.storage.memory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Values written and compared exactly as ClickHouse 18.16 writes and compares them, so an export or an order read from
 * memory is the one ClickHouse gives: CSVWithNames and JSONEachRow cells, its shortest float text, its DateTime text
 * (the server runs in UTC), and its orders of strings (bytes) and UUIDs.
 */
final class ExportText {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** Strings compare as their UTF-8 bytes, unsigned. */
    static final Comparator<String> BYTES = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8));

    /** A UUID is a UInt128 there: its last 8 bytes compare first, then its first 8, both unsigned; not its text. */
    static final Comparator<UUID> UUIDS = (a, b) -> {
        int low = Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
        return low != 0 ? low : Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    };

    private ExportText() {
    }

    /** toString(toDateTime(intDiv(ts_ms, 1000))). */
    static String dateTime(long epochMillis) {
        return DATE_TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochMillis, 1000)));
    }

    /** A Float64 as ClickHouse prints it: the shortest digits, plain from 1e-6 to below 1e21, else with an exponent. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = decimal.precision() - decimal.scale() - 1;
        if (exponent >= -6 && exponent < 21) {
            return decimal.toPlainString();
        }
        String digits = decimal.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (value < 0 ? "-" : "") + mantissa + "e" + (exponent > 0 ? "+" : "") + exponent;
    }

    /** A CSV text cell: always quoted, quotes doubled. */
    static String csv(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * A CSV text cell a spreadsheet shows rather than runs (OWASP "CSV Injection"): a leading = + - @, tab or carriage
     * return gets an apostrophe before it.
     */
    static String csvNeutralised(String text) {
        boolean formula = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
        return csv(formula ? "'" + text : text);
    }

    /** A CSV cell of a nullable column. */
    static String csvOrNull(Object value) {
        return value == null ? "\\N" : value.toString();
    }

    static String csvHeader(List<String> columns) {
        return String.join(",", columns.stream().map(ExportText::csv).toList());
    }

    /** A JSON string as ClickHouse escapes it (a slash too). */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** One JSONEachRow line from (name, already-written JSON value) pairs. */
    static String jsonLine(List<String> names, List<String> values) {
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            line.append(i == 0 ? "" : ",").append(json(names.get(i))).append(':').append(values.get(i));
        }
        return line.append("}\n").toString();
    }

    static InputStream stream(CharSequence text) {
        return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}

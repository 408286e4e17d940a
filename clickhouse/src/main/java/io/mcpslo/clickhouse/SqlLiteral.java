package io.mcpslo.clickhouse;

/**
 * Quoting of values into ClickHouse SQL. ClickHouse 18.16 has no query parameters, so every value that
 * reaches SQL passes through here; hostile-input tests prove it against the real server.
 */
public final class SqlLiteral {

    private SqlLiteral() {
    }

    /** A single-quoted string literal; backslash, quote and every control character are escaped. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }

    /** An identifier known at build time (table or column); anything else is refused. */
    public static String identifier(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain identifier: " + name);
        }
        return name;
    }
}

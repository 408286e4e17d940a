package io.mcpslo.clickhouse;

import java.util.List;

/**
 * Keyset paging in SQL: the condition that keeps the rows after a page's last row when rows are ordered by
 * {@code columns} descending. With a unique key (a timestamp then an event id, say) paging stays stable however many
 * rows share the timestamp, and no page is read twice or skipped while the data is still arriving.
 */
public final class Keyset {

    private Keyset() {
    }

    /**
     * {@code (a < x OR (a = x AND (b < y OR (b = y AND …))))} for columns (a, b, …) and the last row's values as SQL
     * literals (x, y, …), already quoted by the caller.
     */
    public static String olderThan(List<String> columns, List<String> lastRowLiterals) {
        if (columns.isEmpty() || columns.size() != lastRowLiterals.size()) {
            throw new IllegalArgumentException("one literal per key column: " + columns + " " + lastRowLiterals);
        }
        String column = SqlLiteral.identifier(columns.get(0));
        String value = lastRowLiterals.get(0);
        if (columns.size() == 1) {
            return column + " < " + value;
        }
        return "(" + column + " < " + value + " OR (" + column + " = " + value + " AND "
                + olderThan(columns.subList(1, columns.size()), lastRowLiterals.subList(1, lastRowLiterals.size())) + "))";
    }
}

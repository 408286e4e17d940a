package io.mcpslo.clickhouse;

/**
 * CSV exports that a spreadsheet shows rather than runs: a text cell that begins with = + - @, tab or carriage return
 * gets a leading apostrophe (OWASP, "CSV Injection"); ClickHouse quotes every string cell and doubles its quotes.
 */
public final class CsvCells {

    private CsvCells() {
    }

    /** The select expression for a text column, neutralised and named after the column. */
    public static String neutralised(String column) {
        String name = SqlLiteral.identifier(column);
        return "if(substring(" + name + ", 1, 1) IN ('=', '+', '-', '@', " + SqlLiteral.string("\t") + ", "
                + SqlLiteral.string("\r") + "), concat(" + SqlLiteral.string("'") + ", " + name + "), " + name + ") AS "
                + name;
    }
}

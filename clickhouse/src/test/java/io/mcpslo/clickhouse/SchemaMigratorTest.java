package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    @Test
    void splitsScriptsIntoStatementsAndDropsCommentLines() {
        String script = """
                -- a table
                CREATE TABLE a (x UInt8)
                ENGINE = Memory;

                -- another
                CREATE TABLE b (y String) ENGINE = Memory;
                """;
        assertEquals(List.of("CREATE TABLE a (x UInt8)\nENGINE = Memory", "CREATE TABLE b (y String) ENGINE = Memory"),
                SchemaMigrator.statements(script));
    }

    @Test
    void quotesEveryControlCharacterAndQuote() {
        assertEquals("'a\\'b\\\\c\\x00d\\x0A'", SqlLiteral.string("a'b\\c\u0000d\n"));
    }
}

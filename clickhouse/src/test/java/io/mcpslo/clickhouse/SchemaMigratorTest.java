package io.mcpslo.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
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
                SchemaMigrator.statements(script).stream().map(SchemaMigrator.Statement::sql).toList());
    }

    @Test
    void aStatementMarkedOnlyWhileATableExistsCarriesThatTableAndOnlyIt() {
        String script = """
                CREATE TABLE db.b (y String) ENGINE = Memory;
                -- only while db.a exists (another run may have dropped it)
                INSERT INTO db.b
                SELECT y FROM db.a;
                DROP TABLE IF EXISTS db.a;
                """;
        assertEquals(List.of(new SchemaMigrator.Statement("CREATE TABLE db.b (y String) ENGINE = Memory",
                        Optional.empty()),
                new SchemaMigrator.Statement("INSERT INTO db.b\nSELECT y FROM db.a", Optional.of("db.a")),
                new SchemaMigrator.Statement("DROP TABLE IF EXISTS db.a", Optional.empty())),
                SchemaMigrator.statements(script));
    }

    @Test
    void quotesEveryControlCharacterAndQuote() {
        assertEquals("'a\\'b\\\\c\\x00d\\x0A'", SqlLiteral.string("a'b\\c\u0000d\n"));
    }
}

package io.mcpslo.clickhouse.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every table the DDL creates has a retention rule, or a stated reason why it needs none. */
class RetentionCoverageTest {

    /** Tables that do not grow with traffic or time, and why. */
    private static final Map<String, String> NO_RULE = Map.of(
            "rollup_rolls", "one row per roller, replaced in place (ReplacingMergeTree on the roller's name)");

    /** Tables (and materialized views with their own storage) that the migrations create and do not drop later. */
    private static Set<String> tablesInDdl() throws IOException {
        Pattern statement = Pattern.compile("CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS \\$\\{database}\\.(\\w+)"
                + "(\\s+TO\\s)?|DROP TABLE IF EXISTS \\$\\{database}\\.(\\w+)");
        Set<String> tables = new TreeSet<>();
        for (String file : read("index.txt").split("\\s+")) {
            if (file.isBlank()) {
                continue;
            }
            Matcher matcher = statement.matcher(read(file));
            while (matcher.find()) {
                if (matcher.group(4) != null) {
                    tables.remove(matcher.group(4));
                    continue;
                }
                boolean viewWritingElsewhere = matcher.group(1).startsWith("MATERIALIZED") && matcher.group(3) != null;
                if (!viewWritingElsewhere) {
                    tables.add(matcher.group(2));
                }
            }
        }
        return tables;
    }

    private static String read(String name) throws IOException {
        try (InputStream in = RetentionCoverageTest.class.getResourceAsStream("/clickhouse/ddl/" + name)) {
            if (in == null) {
                throw new IOException("no DDL resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyTableOfTheDdlHasARuleOrAStatedReasonForNone() throws IOException {
        var settings = new RetentionSettings(400, 14, 400, 400, 800, 35, 400, 400, 90, 800, 400);
        Set<String> accounted = new TreeSet<>(NO_RULE.keySet());
        Retention.rules(settings).forEach(rule -> accounted.add(rule.table()));
        Set<String> tables = tablesInDdl();
        assertEquals(tables, accounted, "tables without a retention rule (add one to Retention.rules, or a reason here)");
    }
}

package io.mcpslo.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned DDL files ({@code clickhouse/ddl/V###__name.sql}, listed in order in
 * {@code index.txt}) that the database has not seen yet. Every service runs it at start; statements are
 * written to be idempotent, and applied versions are recorded in {@code schema_migrations}.
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String DDL_DIR = "/clickhouse/ddl/";

    private final ClickHouseClient client;

    public SchemaMigrator(ClickHouseClient client) {
        this.client = client;
    }

    /** Returns the versions applied by this call. */
    public List<String> migrate() {
        return migrateThrough("V999");
    }

    /** Applies the versions up to and including {@code lastVersion} (e.g. "V011"): a database as an older release left it. */
    public List<String> migrateThrough(String lastVersion) {
        String db = client.database();
        client.createDatabaseIfMissing();
        client.execute("CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations (version String, applied_at DateTime)"
                + " ENGINE = ReplacingMergeTree() ORDER BY version");
        Set<String> applied = new HashSet<>();
        for (JsonNode row : client.query("SELECT version FROM " + db + ".schema_migrations")) {
            applied.add(row.get("version").asText());
        }
        List<String> appliedNow = new ArrayList<>();
        for (String file : resource("index.txt").lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
            String version = file.substring(0, file.indexOf("__"));
            if (applied.contains(version) || version.compareTo(lastVersion) > 0) {
                continue;
            }
            for (String statement : statements(resource(file).replace("${database}", db))) {
                client.execute(statement);
            }
            client.execute("INSERT INTO " + db + ".schema_migrations VALUES (" + SqlLiteral.string(version) + ", now())");
            LOG.info("applied ClickHouse migration {} to database {}", file, db);
            appliedNow.add(version);
        }
        return appliedNow;
    }

    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.lines().toList()) {
            if (line.trim().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    private static String resource(String name) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(DDL_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("DDL file " + DDL_DIR + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read DDL " + name, e);
        }
    }
}

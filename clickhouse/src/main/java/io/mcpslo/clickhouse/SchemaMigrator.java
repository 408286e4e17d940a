package io.mcpslo.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Duration MIGRATION_TIMEOUT = Duration.ofHours(12);
    private static final Pattern ONLY_WHILE = Pattern.compile("-- only while ([\\w.]+) exists\\b.*");

    private final ClickHouseClient client;

    public SchemaMigrator(ClickHouseClient client) {
        // a migration that copies stored rows (V006, V008, V012, V013, V014) takes minutes on a large database, far
        // beyond a query's timeout; a timed-out copy would still run on the server and start again with the next
        // service start
        this.client = client.config().requestTimeout().compareTo(MIGRATION_TIMEOUT) >= 0 ? client
                : client.withRequestTimeout(MIGRATION_TIMEOUT);
    }

    /** Returns the versions applied by this call. */
    public List<String> migrate() {
        return migrateThrough("V999");
    }

    /**
     * Applies the versions up to and including {@code lastVersion} (e.g. "V011"): a database as an older release
     * left it.
     */
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
            LOG.info("applying ClickHouse migration {} to database {}", file, db);
            for (Statement statement : statements(resource(file).replace("${database}", db))) {
                execute(statement);
            }
            client.execute("INSERT INTO " + db + ".schema_migrations VALUES (" + SqlLiteral.string(version) + ", now())");
            LOG.info("applied ClickHouse migration {} to database {}", file, db);
            appliedNow.add(version);
        }
        return appliedNow;
    }

    /**
     * A statement of a DDL file, and the table it reads that the same migration drops later, if any. Services migrate
     * as they start, so two may run one migration at once: when such a statement fails because the other has dropped
     * the table since, that other run did the statement's work first.
     */
    record Statement(String sql, Optional<String> onlyWhileTableExists) {
    }

    void execute(Statement statement) {
        try {
            client.execute(statement.sql());
        } catch (ClickHouseException e) {
            String table = statement.onlyWhileTableExists().orElse(null);
            if (table == null || tableExists(table)) {
                throw e;
            }
            LOG.info("skipped a statement reading {}: another run of the same migration dropped it ({})", table,
                    e.getMessage());
        }
    }

    private boolean tableExists(String qualifiedTable) {
        return client.query("EXISTS TABLE " + qualifiedTable).get(0).get("result").asInt() == 1;
    }

    /** Comment lines are dropped; {@code -- only while DB.TABLE exists} marks the next statement. */
    static List<Statement> statements(String script) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Optional<String> guard = Optional.empty();
        for (String line : script.lines().toList()) {
            Matcher onlyWhile = ONLY_WHILE.matcher(line.trim());
            if (onlyWhile.matches()) {
                guard = Optional.of(onlyWhile.group(1));
            }
            if (line.trim().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(new Statement(statement.substring(0, statement.length() - 1), guard));
                current.setLength(0);
                guard = Optional.empty();
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(new Statement(current.toString().trim(), guard));
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

package io.mcpslo.clickhouse;

import io.mcpslo.common.config.InvalidSettingException;
import io.mcpslo.common.config.Settings;
import java.net.URI;
import java.time.Duration;

/** Where ClickHouse is and how to log in; read from CLICKHOUSE_* settings. */
public record ClickHouseConfig(URI url, String user, String password, String database, Duration requestTimeout) {

    public static final String DEFAULT_URL = "http://127.0.0.1:18123";

    public ClickHouseConfig {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new InvalidSettingException("CLICKHOUSE_DATABASE", database,
                    "must be a plain identifier (letters, digits, underscore)");
        }
    }

    public static ClickHouseConfig from(Settings settings) {
        return new ClickHouseConfig(
                settings.uri("CLICKHOUSE_URL", DEFAULT_URL),
                settings.string("CLICKHOUSE_USER", "default"),
                settings.string("CLICKHOUSE_PASSWORD", ""),
                settings.string("CLICKHOUSE_DATABASE", "mcp_slo"),
                settings.duration("CLICKHOUSE_TIMEOUT", Duration.ofSeconds(30)));
    }

    public String describe() {
        return "ClickHouse " + url + " database=" + database + " user=" + user
                + " password=" + (password.isEmpty() ? "(none)" : "****");
    }
}

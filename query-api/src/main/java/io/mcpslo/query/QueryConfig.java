package io.mcpslo.query;

import io.mcpslo.common.config.AuditDigestKey;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.KafkaSettings;
import io.mcpslo.query.api.TraceLinks;
import io.mcpslo.storage.Storages;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.time.Duration;
import java.util.function.Function;

/** Query-API settings, read once at start; {@code storage} holds the settings the storage back end reads. */
public record QueryConfig(String bindHost, int port, int maxPoints, Settings storage, Path sloDirectory,
                          Duration sloReloadInterval, Function<String, String> environment, Path tokensFile,
                          String kafkaBootstrapServers, byte[] auditDigestKey, ZoneId reportZone,
                          Optional<URI> reportWebhook, boolean reportWebhookPdf, TraceLinks traceLinks) {

    public static QueryConfig from(Settings settings) {
        return new QueryConfig(
                settings.string("QUERY_API_BIND", "127.0.0.1"),
                settings.integer("QUERY_API_PORT", 8080, 0, 65535),
                settings.integer("QUERY_MAX_POINTS", 10_000, 1, 1_000_000),
                settings,
                Path.of(settings.string("SLO_DIR", "slos")),
                settings.duration("SLO_RELOAD_INTERVAL", Duration.ofSeconds(10)),
                settings::optional,
                Path.of(settings.string("AUTH_TOKENS_FILE",
                        Path.of(settings.string("MCP_SLO_DATA_DIR", ".data"), "tokens").toString())),
                KafkaSettings.from(settings).bootstrapServers(),
                AuditDigestKey.from(settings),
                zone(settings.string("REPORT_TIME_ZONE", "UTC")),
                Optional.ofNullable(settings.optional("REPORT_WEBHOOK_URL")).map(url -> settings.uri("REPORT_WEBHOOK_URL", url)),
                settings.bool("REPORT_WEBHOOK_PDF", false),
                new TraceLinks(Optional.ofNullable(settings.optional(TraceLinks.SETTING))));
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text);
        } catch (java.time.DateTimeException e) {
            throw new io.mcpslo.common.config.InvalidSettingException("REPORT_TIME_ZONE", text,
                    "not a time zone such as UTC or Europe/Paris");
        }
    }

    public String describe() {
        return "query-api on " + bindHost + ":" + port + " maxPoints=" + maxPoints + " slos=" + sloDirectory + " tokens=" + tokensFile + " audit via Kafka "
                + kafkaBootstrapServers + " traces=" + traceLinks.template().orElse("none") + "; storage " + Storages.type(storage);
    }
}

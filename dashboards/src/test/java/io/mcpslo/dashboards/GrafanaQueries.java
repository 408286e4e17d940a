package io.mcpslo.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shipped dashboards' SQL, expanded as Grafana and the ClickHouse plugin would before sending it: the time
 * macros, and each {@code ${name:percentencode}} replaced by Grafana's percent encoding of the selected value.
 */
final class GrafanaQueries {

    /** Every variable reference; a reference must name the percentencode format inside decodeURLComponent('…'). */
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_]+)(?::([A-Za-z]+))?}");
    static final Pattern ESCAPED_REFERENCE = Pattern.compile("decodeURLComponent\\('\\$\\{([a-z]+):percentencode}'\\)");
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([a-z_]+)\\)");

    private GrafanaQueries() {
    }

    /** One query of a dashboard: a variable's, a panel target's or an annotation's. */
    record Query(String dashboard, String where, String sql) {
        boolean uses(String variable) {
            return sql.contains("${" + variable + ":");
        }
    }

    static List<JsonNode> dashboards() {
        try (Stream<Path> files = Files.list(Path.of("grafana", "dashboards"))) {
            List<JsonNode> dashboards = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(EventCodec.MAPPER.readTree(file.toFile()));
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Query> queries(JsonNode dashboard) {
        String uid = dashboard.get("uid").asText();
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            queries.add(new Query(uid, "$" + variable.get("name").asText(), variable.get("query").asText()));
        }
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queries.add(new Query(uid, panel.get("title").asText(), target.get("rawSql").asText()));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            queries.add(new Query(uid, "@" + annotation.get("name").asText(), annotation.get("target").get("rawSql").asText()));
        }
        return queries;
    }

    /**
     * The SQL Grafana would send for a range and the selected variable values, at the interval Grafana picks for a
     * panel about a thousand points wide.
     */
    static String expand(String sql, Instant from, Instant to, Map<String, String> variables) {
        return expand(sql, from, to, Math.max(1, Duration.between(from, to).toSeconds() / 1000), variables);
    }

    /** The same at a given interval ({@code $__interval_s}: Grafana's range divided by the panel's points). */
    static String expand(String sql, Instant from, Instant to, long intervalSeconds, Map<String, String> variables) {
        // the interval first: expandTime sets any left to a minute
        return substitute(expandTime(sql.replace("$__interval_s", String.valueOf(intervalSeconds)), from, to), variables,
                GrafanaQueries::percentEncode);
    }

    static String expandTime(String sql, Instant from, Instant to) {
        return TIME_FILTER.matcher(sql).replaceAll(match -> match.group(1) + " >= toDateTime("
                + from.getEpochSecond() + ") AND " + match.group(1) + " <= toDateTime(" + to.getEpochSecond() + ")")
                .replace("$__fromTime", "toDateTime(" + from.getEpochSecond() + ")")
                .replace("$__toTime", "toDateTime(" + to.getEpochSecond() + ")")
                .replace("$__interval_s", "60");
    }

    /** Replaces each {@code decodeURLComponent('${name:percentencode}')} by what {@code literal} makes of the value. */
    static String substitute(String sql, Map<String, String> variables, java.util.function.UnaryOperator<String> encode) {
        Matcher references = REFERENCE.matcher(sql);
        while (references.find()) {
            if (!"percentencode".equals(references.group(2))) {
                throw new AssertionError("${" + references.group(1) + (references.group(2) == null ? "" : ":"
                        + references.group(2)) + "} is spliced into SQL unescaped; write decodeURLComponent('${"
                        + references.group(1) + ":percentencode}'): " + sql);
            }
        }
        Matcher matcher = ESCAPED_REFERENCE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            if (value == null) {
                throw new AssertionError("variable ${" + matcher.group(1) + "} is not defined before use: " + sql);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(
                    "decodeURLComponent('" + encode.apply(value) + "')"));
        }
        String expanded = matcher.appendTail(out).toString();
        if (REFERENCE.matcher(expanded).find()) {
            throw new AssertionError("a variable is used outside decodeURLComponent('${name:percentencode}'): " + sql);
        }
        return expanded;
    }

    /**
     * Grafana's {@code percentencode} format: JavaScript's encodeURIComponent over UTF-8, plus {@code ! ' ( ) *}
     * (grafana/scenes formatRegistry, encodeURIComponentStrict). What is left is letters, digits, {@code - _ . ~}
     * and {@code %XX}: nothing that can end a ClickHouse string literal or escape a character in it.
     */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}

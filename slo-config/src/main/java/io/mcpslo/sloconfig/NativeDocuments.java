package io.mcpslo.sloconfig;

import io.mcpslo.engine.notify.ReceiverConfig;
import io.mcpslo.engine.notify.ReceiverType;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.CalendarWindow;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyPercentileSli;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.Sli;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloWindow;
import io.mcpslo.engine.slo.TimeslicedSli;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads our own {@code apiVersion: mcp-slo/v1} documents: {@code kind: SLO} and {@code kind: Receiver}. */
final class NativeDocuments {

    static final String API_VERSION = "mcp-slo/v1";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");

    private final Function<String, String> environment;

    NativeDocuments(Function<String, String> environment) {
        this.environment = environment;
    }

    SloDefinition slo(YamlObject doc) {
        doc.onlyFields(Set.of("apiVersion", "kind", "id", "team", "description", "scope", "sli", "objective",
                "window", "alerting"));
        String id = doc.string("id");
        check(doc, "id", () -> SloDefinition.NAME.matcher(id).matches(),
                "must be lower-case letters, digits, '.', '_' or '-' (at most 100), was \"" + YamlObject.abbreviate(id) + "\"");
        String team = doc.string("team");
        check(doc, "team", () -> SloDefinition.NAME.matcher(team).matches(),
                "must be lower-case letters, digits, '.', '_' or '-' (at most 100)");
        SloScope scope = doc.optionalObject("scope").map(NativeDocuments::scope).orElse(SloScope.ALL);
        Sli sli = sli(doc.object("sli"));
        Objective objective = objective(doc, "objective");
        SloWindow window = window(doc);
        AlertPolicy alerting = doc.optionalObject("alerting").map(a -> alerting(a, window))
                .orElse(AlertPolicy.defaultsFor(window));
        return new SloDefinition(id, team, doc.optionalString("description").orElse(""), scope, sli, objective,
                window, alerting);
    }

    static SloScope scope(YamlObject scope) {
        scope.onlyFields(Set.of("server", "tool", "version"));
        return build(scope, "", () -> new SloScope(scope.optionalString("server").orElse(null),
                scope.optionalString("tool").orElse(null), scope.optionalString("version").orElse(null)));
    }

    private static Sli sli(YamlObject sli) {
        sli.onlyFields(Set.of("availability", "latency_threshold", "latency_percentile"));
        if (sli.fieldNames().size() != 1) {
            throw sli.error("", "must name exactly one of availability, latency_threshold, latency_percentile");
        }
        if (sli.has("availability")) {
            YamlObject availability = sli.object("availability");
            availability.onlyFields(Set.of("failures", "denied_burns", "rate_limited_burns", "slice_target"));
            FailureLocus locus = locus(availability, "failures");
            Sli ratio = new AvailabilitySli(locus, availability.bool("denied_burns", false),
                    availability.bool("rate_limited_burns", false));
            return sliced(availability, ratio);
        }
        if (sli.has("latency_threshold")) {
            YamlObject latency = sli.object("latency_threshold");
            latency.onlyFields(Set.of("max_ms", "slice_target"));
            double maxMs = latency.number("max_ms");
            return sliced(latency, build(latency, "max_ms", () -> new LatencyThresholdSli(maxMs)));
        }
        YamlObject percentile = sli.object("latency_percentile");
        percentile.onlyFields(Set.of("percentile", "max_ms"));
        double p = percentile.number("percentile");
        check(percentile, "percentile", () -> p > 0 && p < 100, "must be between 0 and 100 (exclusive), was " + p);
        double maxMs = percentile.number("max_ms");
        return build(percentile, "max_ms", () -> new LatencyPercentileSli(p / 100, maxMs));
    }

    /** transport, tool or both (the default). */
    static FailureLocus locus(YamlObject doc, String field) {
        return doc.optionalString(field).map(text -> switch (text) {
            case "transport" -> FailureLocus.TRANSPORT;
            case "tool" -> FailureLocus.TOOL;
            case "both" -> FailureLocus.BOTH;
            default -> throw doc.error(field, "must be transport, tool or both, was \""
                    + YamlObject.abbreviate(text) + "\"");
        }).orElse(FailureLocus.BOTH);
    }

    private static Sli sliced(YamlObject sli, Sli ratio) {
        if (!sli.has("slice_target")) {
            return ratio;
        }
        double target = fraction(sli, "slice_target");
        return build(sli, "slice_target", () -> new TimeslicedSli(ratio, target));
    }

    /** A fraction written as 0.999 or "99.9%". */
    static double fraction(YamlObject doc, String field) {
        String text = doc.string(field).trim();
        double value;
        try {
            value = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
                    : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw doc.error(field, "must be a fraction such as 0.999 or \"99.9%\", was \"" + YamlObject.abbreviate(text) + "\"");
        }
        return value;
    }

    static Objective objective(YamlObject doc, String field) {
        double target = fraction(doc, field);
        check(doc, field, () -> target > 0 && target < 1,
                "must be between 0 and 1 (exclusive) — 0.999 or \"99.9%\" — was " + doc.string(field).trim());
        return new Objective(target);
    }

    private static SloWindow window(YamlObject doc) {
        if (!doc.has("window")) {
            throw doc.error("window", "is required (e.g. 30d, or {calendar: month, time_zone: UTC})");
        }
        if (!(doc.node("window") instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
            String text = doc.string("window");
            Duration length = DurationText.parse(text).orElseThrow(() -> doc.error("window",
                    "must be a duration such as 7d, 28d or 30d, or {calendar: week|month|quarter}, was \""
                            + YamlObject.abbreviate(text) + "\""));
            return build(doc, "window", () -> new RollingWindow(length));
        }
        YamlObject window = doc.object("window");
        window.onlyFields(Set.of("calendar", "time_zone"));
        String period = window.string("calendar");
        CalendarWindow.Period calendar = switch (period) {
            case "week" -> CalendarWindow.Period.WEEK;
            case "month" -> CalendarWindow.Period.MONTH;
            case "quarter" -> CalendarWindow.Period.QUARTER;
            default -> throw window.error("calendar", "must be week, month or quarter, was \""
                    + YamlObject.abbreviate(period) + "\"");
        };
        return new CalendarWindow(calendar, zone(window, "time_zone"));
    }

    static ZoneId zone(YamlObject doc, String field) {
        String text = doc.optionalString(field).orElse("UTC");
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw doc.error(field, "is not a time zone (e.g. UTC, Europe/Paris), was \"" + YamlObject.abbreviate(text) + "\"");
        }
    }

    private static AlertPolicy alerting(YamlObject alerting, SloWindow window) {
        alerting.onlyFields(Set.of("rules", "min_events", "min_bad_events", "pending_for", "budget_exhausted"));
        List<MultiWindowRule> rules = alerting.has("rules") ? rules(alerting)
                : MultiWindowRule.workbookDefaults(window.nominalLength());
        Duration pendingFor = alerting.optionalString("pending_for").map(text -> "0".equals(text) ? Duration.ZERO
                : DurationText.parse(text).orElseThrow(() -> alerting.error("pending_for",
                        "must be a duration such as 2m, was \"" + YamlObject.abbreviate(text) + "\""))).orElse(Duration.ZERO);
        return build(alerting, "", () -> new AlertPolicy(rules, alerting.wholeNumber("min_events", 0),
                alerting.wholeNumber("min_bad_events", AlertPolicy.DEFAULT_MIN_BAD_EVENTS), pendingFor,
                alerting.bool("budget_exhausted", true)));
    }

    private static List<MultiWindowRule> rules(YamlObject alerting) {
        List<MultiWindowRule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlObject rule : alerting.objects("rules")) {
            rule.onlyFields(Set.of("severity", "long_window", "short_window", "burn_rate"));
            String severityText = rule.string("severity");
            Severity severity = switch (severityText) {
                case "page" -> Severity.PAGE;
                case "ticket" -> Severity.TICKET;
                default -> throw rule.error("severity", "must be page or ticket, was \"" + YamlObject.abbreviate(severityText) + "\"");
            };
            Duration longWindow = duration(rule, "long_window");
            Duration shortWindow = duration(rule, "short_window");
            double burnRate = rule.number("burn_rate");
            MultiWindowRule built = build(rule, "", () -> new MultiWindowRule(severity, longWindow, shortWindow, burnRate));
            if (!names.add(built.name())) {
                throw rule.error("", "repeats the rule " + built.name());
            }
            rules.add(built);
        }
        if (rules.isEmpty()) {
            throw alerting.error("rules", "must hold at least one rule (leave it out for the Workbook defaults)");
        }
        return rules;
    }

    private static Duration duration(YamlObject doc, String field) {
        String text = doc.string(field);
        Duration duration = DurationText.parse(text).orElseThrow(() -> doc.error(field,
                "must be a duration such as 5m, 1h or 3d, was \"" + YamlObject.abbreviate(text) + "\""));
        check(doc, field, () -> duration.compareTo(Duration.ofMinutes(1)) >= 0 && duration.toSeconds() % 60 == 0,
                "must be whole minutes (the rollups are per minute), was " + text);
        return duration;
    }

    ReceiverConfig receiver(YamlObject doc) {
        doc.onlyFields(Set.of("apiVersion", "kind", "name", "type", "url", "routing_key", "teams", "severities"));
        String name = doc.string("name");
        String typeText = doc.string("type");
        ReceiverType type;
        try {
            type = ReceiverType.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw doc.error("type", "must be webhook, pagerduty, alertmanager or slack, was \"" + YamlObject.abbreviate(typeText) + "\"");
        }
        String urlText = resolve(doc, "url", doc.string("url"));
        URI url;
        try {
            url = URI.create(urlText);
        } catch (IllegalArgumentException e) {
            throw doc.error("url", "is not a URL");
        }
        String routingKey = doc.optionalString("routing_key").map(key -> resolve(doc, "routing_key", key)).orElse(null);
        Set<Severity> severities = new LinkedHashSet<>();
        for (String severity : doc.strings("severities")) {
            switch (severity) {
                case "page" -> severities.add(Severity.PAGE);
                case "ticket" -> severities.add(Severity.TICKET);
                default -> throw doc.error("severities", "holds \"" + YamlObject.abbreviate(severity) + "\"; only page and ticket exist");
            }
        }
        Set<String> teams = new LinkedHashSet<>(doc.strings("teams"));
        URI finalUrl = url;
        return build(doc, "", () -> new ReceiverConfig(name, type, finalUrl, routingKey, teams, severities));
    }

    /** Replaces ${NAME} with the environment variable, so secrets stay out of the files. */
    private String resolve(YamlObject doc, String field, String text) {
        Matcher matcher = ENV_REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = environment.apply(matcher.group(1));
            if (value == null || value.isEmpty()) {
                throw doc.error(field, "names the environment variable " + matcher.group(1) + ", which is not set");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    static void check(YamlObject doc, String field, Supplier<Boolean> condition, String message) {
        if (!condition.get()) {
            throw doc.error(field, message);
        }
    }

    /** Builds a value whose constructor validates, turning its refusal into an error at the field. */
    static <T> T build(YamlObject doc, String field, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw doc.error(field, e.getMessage());
        }
    }
}

package io.mcpslo.sloconfig;

import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.CalendarWindow;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.LatencyThresholdSli;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.Sli;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloWindow;
import io.mcpslo.engine.slo.TimeslicedSli;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps OpenSLO v1 {@code SLO} documents onto ours. What maps: ratioMetric (→ availability) and thresholdMetric
 * (→ latency below a threshold); Occurrences and Timeslices budgeting (1-minute slices); rolling windows and
 * calendar windows of a week, a month or a quarter with their start time and zone; each objective becomes one SLO.
 * What does not, refused with the reason: other metric sources than {@code mcp-slo} (OpenSLO leaves the query to
 * the vendor, we need a server/tool/version selector), RatioTimeslices, slices other than 1m, inline or referenced
 * SLIs by name ({@code indicatorRef}). {@code alertPolicies} are not imported (a warning): the Workbook rules apply.
 *
 * <p>Durations follow the OpenSLO spec literally: {@code m} is a minute and {@code M} a month (the spec's own
 * shorthand; see OpenSLO issue #267). A calendar window of {@code 1m} is therefore refused with a hint to write
 * {@code 1M}, rather than silently read as a month.
 */
final class OpenSloDocuments {

    static final String API_VERSION = "openslo/v1";
    static final String METRIC_SOURCE = "mcp-slo";
    private static final Pattern OPENSLO_DURATION = Pattern.compile("([1-9][0-9]{0,4})([smhdwMQY])");
    private static final DateTimeFormatter START_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    record Mapped(List<SloDefinition> slos, List<ConfigProblem> warnings) {
    }

    Mapped slo(YamlObject doc) {
        doc.onlyFields(Set.of("apiVersion", "kind", "metadata", "spec"));
        YamlObject metadata = doc.object("metadata");
        metadata.onlyFields(Set.of("name", "displayName", "labels", "annotations"));
        String name = metadata.string("name");
        NativeDocuments.check(metadata, "name", () -> SloDefinition.NAME.matcher(name).matches(),
                "must be lower-case letters, digits, '.', '_' or '-' to serve as the SLO id");
        YamlObject spec = doc.object("spec");
        spec.onlyFields(Set.of("description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod",
                "objectives", "alertPolicies"));
        if (spec.has("indicatorRef")) {
            throw spec.error("indicatorRef", "a referenced SLI document is not supported; inline it under spec.indicator");
        }
        String team = metadata.optionalObject("labels").flatMap(labels -> labels.optionalString("team"))
                .orElseGet(() -> spec.string("service"));
        NativeDocuments.check(spec, "service", () -> SloDefinition.NAME.matcher(team).matches(),
                "is used as the team (no metadata.labels.team) and must be lower-case letters, digits, '.', '_' or '-'");
        List<ConfigProblem> warnings = new ArrayList<>();
        if (spec.has("alertPolicies")) {
            warnings.add(new ConfigProblem(doc.file(), YamlObject.lineOf(spec.node("alertPolicies")), "spec.alertPolicies",
                    "not imported: the SRE Workbook multiwindow rules scaled to the window apply"));
        }
        Indicator indicator = indicator(spec.object("indicator"));
        SloWindow window = window(spec);
        String budgeting = spec.string("budgetingMethod");
        if (!budgeting.equals("Occurrences") && !budgeting.equals("Timeslices")) {
            throw spec.error("budgetingMethod", budgeting.equals("RatioTimeslices")
                    ? "RatioTimeslices (the mean of per-slice ratios) is not supported: use Occurrences, or Timeslices "
                    + "with a timeSliceTarget"
                    : "must be Occurrences or Timeslices, was \"" + YamlObject.abbreviate(budgeting) + "\"");
        }
        List<YamlObject> objectives = spec.objects("objectives");
        if (objectives.isEmpty()) {
            throw spec.error("objectives", "must hold at least one objective");
        }
        List<SloDefinition> slos = new ArrayList<>();
        for (int i = 0; i < objectives.size(); i++) {
            YamlObject objective = objectives.get(i);
            objective.onlyFields(Set.of("displayName", "name", "op", "value", "target", "targetPercent",
                    "timeSliceTarget", "timeSliceWindow", "indicator", "indicatorRef", "compositeWeight"));
            Sli sli = sli(indicator, objective, budgeting);
            String id = objectives.size() == 1 ? name : name + "-" + suffix(objective, i);
            String description = spec.optionalString("description").orElse("")
                    + objective.optionalString("displayName").map(display -> " (" + display + ")").orElse("");
            Objective target = target(objective);
            slos.add(NativeDocuments.build(objective, "", () -> new SloDefinition(id, team, description.trim(),
                    indicator.scope(), sli, target, window, AlertPolicy.defaultsFor(window))));
        }
        return new Mapped(slos, warnings);
    }

    private record Indicator(SloScope scope, boolean latency, FailureLocus locus) {
    }

    private static Indicator indicator(YamlObject indicator) {
        indicator.onlyFields(Set.of("metadata", "spec"));
        YamlObject spec = indicator.object("spec");
        spec.onlyFields(Set.of("ratioMetric", "thresholdMetric"));
        if (spec.has("thresholdMetric")) {
            YamlObject threshold = spec.object("thresholdMetric");
            threshold.onlyFields(Set.of("metricSource"));
            return new Indicator(selector(threshold.object("metricSource")).scope(), true, null);
        }
        if (!spec.has("ratioMetric")) {
            throw spec.error("", "must hold a ratioMetric or a thresholdMetric");
        }
        YamlObject ratio = spec.object("ratioMetric");
        ratio.onlyFields(Set.of("counter", "good", "bad", "total", "rawType", "raw"));
        if (ratio.has("raw")) {
            throw ratio.error("raw", "raw ratios are not supported; name good (or bad) and total");
        }
        YamlObject total = ratio.object("total");
        total.onlyFields(Set.of("metricSource"));
        Selector totalSelector = selector(total.object("metricSource"));
        String goodOrBad = ratio.has("good") ? "good" : "bad";
        YamlObject part = ratio.object(goodOrBad);
        part.onlyFields(Set.of("metricSource"));
        Selector partSelector = selector(part.object("metricSource"));
        if (!partSelector.scope().equals(SloScope.ALL) && !partSelector.scope().equals(totalSelector.scope())) {
            throw part.error("metricSource", "selects " + partSelector.scope() + " but total selects "
                    + totalSelector.scope() + "; good/bad and total must cover the same calls");
        }
        return new Indicator(totalSelector.scope(), false, partSelector.locus());
    }

    private record Selector(SloScope scope, FailureLocus locus) {
    }

    private static Selector selector(YamlObject source) {
        source.onlyFields(Set.of("type", "metricSourceRef", "spec"));
        String type = source.optionalString("type").orElse("");
        if (!METRIC_SOURCE.equals(type)) {
            throw source.error("type", "\"" + YamlObject.abbreviate(type) + "\" names no source mcp-slo can read; "
                    + "write type: mcp-slo with spec: {server, tool, version, failures} (each optional) to select "
                    + "the calls");
        }
        if (!source.has("spec")) {
            return new Selector(SloScope.ALL, FailureLocus.BOTH);
        }
        YamlObject spec = source.object("spec");
        spec.onlyFields(Set.of("server", "tool", "version", "failures"));
        FailureLocus locus = NativeDocuments.locus(spec, "failures");
        return new Selector(NativeDocuments.build(spec, "", () -> new SloScope(spec.optionalString("server").orElse(null),
                spec.optionalString("tool").orElse(null), spec.optionalString("version").orElse(null))), locus);
    }

    private static Sli sli(Indicator indicator, YamlObject objective, String budgeting) {
        Sli ratio;
        if (indicator.latency()) {
            String op = objective.optionalString("op").orElse("lte");
            if (!op.equals("lt") && !op.equals("lte")) {
                throw objective.error("op", "a latency threshold must be lt or lte (calls faster than value), was " + op);
            }
            double value = objective.number("value");
            ratio = NativeDocuments.build(objective, "value", () -> new LatencyThresholdSli(value));
        } else {
            ratio = new AvailabilitySli(indicator.locus(), false, false);
        }
        if (budgeting.equals("Occurrences")) {
            if (objective.has("timeSliceTarget")) {
                throw objective.error("timeSliceTarget", "only applies to Timeslices budgeting");
            }
            return ratio;
        }
        String slice = objective.optionalString("timeSliceWindow").orElse("1m");
        if (!slice.equals("1m") && !slice.equals("60s")) {
            throw objective.error("timeSliceWindow", "only 1-minute slices are supported (rollups are per minute), was "
                    + YamlObject.abbreviate(slice));
        }
        double sliceTarget = NativeDocuments.fraction(objective, "timeSliceTarget");
        return NativeDocuments.build(objective, "timeSliceTarget", () -> new TimeslicedSli(ratio, sliceTarget));
    }

    private static Objective target(YamlObject objective) {
        if (objective.has("targetPercent")) {
            double percent = objective.number("targetPercent");
            NativeDocuments.check(objective, "targetPercent", () -> percent > 0 && percent < 100,
                    "must be between 0 and 100 (exclusive), was " + percent);
            return new Objective(percent / 100);
        }
        return NativeDocuments.objective(objective, "target");
    }

    private static String suffix(YamlObject objective, int index) {
        String label = objective.optionalString("name").or(() -> objective.optionalString("displayName")).orElse("");
        String slug = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? Integer.toString(index + 1) : slug;
    }

    private static SloWindow window(YamlObject spec) {
        List<YamlObject> windows = spec.objects("timeWindow");
        if (windows.size() != 1) {
            throw spec.error("timeWindow", "must hold exactly one window, holds " + windows.size());
        }
        YamlObject window = windows.get(0);
        window.onlyFields(Set.of("duration", "isRolling", "calendar"));
        String durationText = window.string("duration");
        Matcher matcher = OPENSLO_DURATION.matcher(durationText.trim());
        if (!matcher.matches()) {
            throw window.error("duration", "must be a number and one of s, m, h, d, w, M, Q, Y, was \""
                    + YamlObject.abbreviate(durationText) + "\"");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        boolean rolling = window.bool("isRolling", false);
        if (rolling) {
            Duration length = switch (unit) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                case "w" -> Duration.ofDays(7 * amount);
                default -> throw window.error("duration", "a rolling window needs s, m, h, d or w; for " + durationText
                        + " use a calendar window (isRolling: false)");
            };
            return NativeDocuments.build(window, "duration", () -> new RollingWindow(length));
        }
        CalendarWindow.Period period = switch (unit + amount) {
            case "w1" -> CalendarWindow.Period.WEEK;
            case "M1" -> CalendarWindow.Period.MONTH;
            case "Q1", "M3" -> CalendarWindow.Period.QUARTER;
            case "m1" -> throw window.error("duration", "1m is one minute in OpenSLO (m = minute, M = month; OpenSLO "
                    + "issue #267), which is no calendar window; write 1M for a calendar month");
            default -> throw window.error("duration", "calendar windows of 1w, 1M or 1Q are supported, was " + durationText);
        };
        YamlObject calendar = window.object("calendar");
        calendar.onlyFields(Set.of("startTime", "timeZone"));
        LocalDateTime anchor = calendar.optionalString("startTime").map(text -> {
            try {
                return LocalDateTime.parse(text.trim(), START_TIME);
            } catch (DateTimeParseException e) {
                throw calendar.error("startTime", "must be \"yyyy-MM-dd HH:mm:ss\", was \"" + YamlObject.abbreviate(text) + "\"");
            }
        }).orElse(CalendarWindow.DEFAULT_ANCHOR);
        return new CalendarWindow(period, NativeDocuments.zone(calendar, "timeZone"), anchor);
    }
}

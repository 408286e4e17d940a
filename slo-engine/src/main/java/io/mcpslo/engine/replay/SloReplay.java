package io.mcpslo.engine.replay;

import io.mcpslo.engine.alert.AlertKind;
import io.mcpslo.engine.alert.AlertState;
import io.mcpslo.engine.alert.AlertStatus;
import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.alert.SloAlerting;
import io.mcpslo.engine.rollup.RollupAggregate;
import io.mcpslo.engine.slo.DurationText;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.MinuteSeries;
import io.mcpslo.engine.slo.MultiWindowRule;
import io.mcpslo.engine.slo.Severity;
import io.mcpslo.engine.slo.SloCalculator;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An SLO's past period evaluated again from its stored minutes, with the same math the live evaluation runs
 * ({@link SloCalculator} for status, budget and burn rates, {@link SloAlerting} for alerts), so a report of any
 * period with rollups has its figures, whether or not the processor evaluated it live, and the same figures each
 * time it is made.
 *
 * <p>The live processor evaluates every second and keeps one snapshot a minute; the replay evaluates once a minute,
 * at each minute boundary of the period (what a snapshot taken then sees: the minutes before it), and once more just
 * before the period's end, so the period's last minute counts and a calendar window that starts anew at the end is
 * still the period's own. The budget is that of the SLO window at the period's end, or, when a calendar window
 * began in the period's last part only, of the window before it. Alerts are replayed from {@link #ALERT_WARM_UP} before the period, so an alert already
 * firing when the period begins is known as such and not reported as new.
 */
public final class SloReplay {

    /** How often the replay evaluates: the live processor keeps one status snapshot a minute. */
    public static final Duration STEP = Duration.ofMinutes(1);
    /** How long before the period the alert state machine starts, so the period begins in the state it had live. */
    public static final Duration ALERT_WARM_UP = Duration.ofDays(3);
    /** The burn-rate windows a report shows peaks of. */
    public static final List<Duration> PEAK_WINDOWS = List.of(Duration.ofHours(1), Duration.ofHours(6),
            Duration.ofDays(1));

    private SloReplay() {
    }

    /** An alert the rules fire during the period: when it fired, and when it resolved (null: still firing at the end). */
    public record ReplayedAlert(AlertKind kind, Severity severity, Instant firedAt, Instant resolvedAt, String rule) {
        public ReplayedAlert {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(firedAt, "firedAt");
        }
    }

    /**
     * The period's figures: its good and bad events, the status at its end (budget over the SLO window then; see
     * {@link #windowEnd}), the
     * share of that budget the period's own bad events spent, the highest burn rate per window (labels "1h", "6h",
     * "1d"), and the alerts that fired in it.
     */
    public record Result(EventCounts period, SloStatus atEnd, Double budgetConsumedInPeriod,
                         Map<String, Double> peakBurnRates, List<ReplayedAlert> alerts) {
        public Result {
            peakBurnRates = Map.copyOf(peakBurnRates);
            alerts = List.copyOf(alerts);
        }

        /** good / (good + bad) over the period, or null without events. */
        public Double attainment() {
            return period.total() == 0 ? null : (double) period.good() / period.total();
        }
    }

    /**
     * The first minute the replay of [from, to) needs: the SLO window at the start of the alert warm-up, or the
     * longest burn-rate window before it, whichever reaches further back.
     */
    public static Instant historyStart(SloDefinition slo, Instant from) {
        Instant warmUp = from.minus(ALERT_WARM_UP);
        Duration longest = SloStatus.BURN_RATE_WINDOWS.stream().max(Duration::compareTo).orElseThrow();
        for (MultiWindowRule rule : slo.alerting().rules()) {
            longest = rule.longWindow().compareTo(longest) > 0 ? rule.longWindow() : longest;
        }
        Instant windowStart = slo.window().start(warmUp);
        Instant burnStart = warmUp.minus(longest);
        Instant earliest = windowStart.isBefore(burnStart) ? windowStart : burnStart;
        return Instant.ofEpochSecond(Math.floorDiv(earliest.getEpochSecond(), 60) * 60);
    }

    /**
     * Replays [from, to) (minute boundaries) from the SLO's minutes (summed rollups in scope, keyed by the minute's
     * start), which should reach back to {@link #historyStart}.
     */
    public static Result replay(SloDefinition slo, Map<Instant, RollupAggregate> minutes, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the period must end after it starts: " + from + " .. " + to);
        }
        MinuteSeries series = new MinuteSeries();
        EventCounts period = EventCounts.NONE;
        for (var minute : minutes.entrySet()) {
            EventCounts counts = slo.sli().count(minute.getValue());
            series.put(minute.getKey(), counts);
            if (!minute.getKey().isBefore(from) && minute.getKey().isBefore(to)) {
                period = period.plus(counts);
            }
        }
        Map<String, Double> peaks = new LinkedHashMap<>();
        Map<AlertKind, AlertState> states = new EnumMap<>(AlertKind.class);
        Map<String, ReplayedAlert> fired = new LinkedHashMap<>();
        for (Instant at = from.minus(ALERT_WARM_UP); at.isBefore(to); at = at.plus(STEP)) {
            SloStatus status = SloCalculator.status(slo, series, at);
            SloAlerting.Step step = SloAlerting.advance(slo, status, states);
            states = step.states();
            for (AlertTransition transition : step.transitions()) {
                record(transition, from, fired);
            }
            if (!at.isBefore(from)) {
                peaks(status, peaks);
            }
        }
        // just before the end: the period's last minute counts, and the SLO window is still the one of the period
        SloStatus last = SloCalculator.status(slo, series, to.minusMillis(1));
        peaks(last, peaks);
        SloStatus atEnd = SloCalculator.status(slo, series, windowEnd(slo, from, to));
        double allowed = atEnd.budget().allowedBad();
        Double consumedInPeriod = allowed > 0 ? period.bad() / allowed : null;
        return new Result(period, atEnd, consumedInPeriod, peaks, new ArrayList<>(fired.values()));
    }

    /**
     * The instant whose SLO window stands for the period: its end, unless a calendar window began within the last
     * part of the period (a calendar week in another time zone than the report's, a month that starts on Sunday);
     * then the end of the window before, which holds most of the period.
     */
    static Instant windowEnd(SloDefinition slo, Instant from, Instant to) {
        Instant end = to.minusMillis(1);
        Instant windowStart = slo.window().start(end);
        if (windowStart.isAfter(from)
                && Duration.between(from, windowStart).compareTo(Duration.between(windowStart, to)) > 0) {
            return windowStart.minusMillis(1);
        }
        return end;
    }

    private static void peaks(SloStatus status, Map<String, Double> peaks) {
        for (Duration window : PEAK_WINDOWS) {
            String label = DurationText.format(window);
            Double rate = status.burnRates().get(label);
            if (rate != null) {
                peaks.merge(label, rate, Math::max);
            }
        }
    }

    /** Alerts that fire within the period are kept with their resolution (which may come after it). */
    private static void record(AlertTransition transition, Instant from, Map<String, ReplayedAlert> fired) {
        if (transition.to() == AlertStatus.FIRING && !transition.at().isBefore(from)) {
            fired.put(transition.dedupKey(), new ReplayedAlert(transition.kind(), transition.severity(),
                    transition.at(), null, transition.rule()));
        } else if (transition.to() == AlertStatus.RESOLVED && fired.containsKey(transition.dedupKey())) {
            ReplayedAlert alert = fired.get(transition.dedupKey());
            fired.put(transition.dedupKey(), new ReplayedAlert(alert.kind(), alert.severity(), alert.firedAt(),
                    transition.at(), alert.rule()));
        }
    }
}

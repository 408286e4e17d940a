package io.mcpslo.engine.alert;

import io.mcpslo.engine.slo.BurnRateEvaluator;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.engine.slo.SloTargetText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alert state machine of one SLO: INACTIVE → PENDING → FIRING → RESOLVED (→ INACTIVE), per alert kind.
 * A page that fires or holds inhibits the start of a ticket for the same SLO (a ticket already firing runs its
 * course); a condition must hold for the policy's pending time before it fires.
 */
public final class SloAlerting {

    /**
     * An exhausted budget is a ticket, never urgent, and early in a window (little traffic, little budget) it can
     * flicker; it fires once it has held this long.
     */
    public static final Duration BUDGET_EXHAUSTED_PENDING = Duration.ofMinutes(5);

    private SloAlerting() {
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The states after a status, and the transitions that led there. */
    public record Step(Map<AlertKind, AlertState> states, List<AlertTransition> transitions) {
    }

    public static Step advance(SloDefinition slo, SloStatus status, Map<AlertKind, AlertState> current) {
        Map<AlertKind, AlertState> next = new EnumMap<>(AlertKind.class);
        List<AlertTransition> transitions = new ArrayList<>();
        AlertState page = stateOf(slo, current, AlertKind.PAGE, status.at());
        boolean pageActive = status.pageCondition() || page.status() == AlertStatus.FIRING;
        for (AlertKind kind : AlertKind.values()) {
            AlertState state = stateOf(slo, current, kind, status.at());
            boolean holds = switch (kind) {
                case PAGE -> status.pageCondition();
                case TICKET -> status.ticketCondition();
                case BUDGET_EXHAUSTED -> status.budgetExhaustedCondition();
            };
            boolean inhibited = kind == AlertKind.TICKET && pageActive;
            Duration pendingFor = kind == AlertKind.BUDGET_EXHAUSTED
                    ? max(slo.alerting().pendingFor(), BUDGET_EXHAUSTED_PENDING) : slo.alerting().pendingFor();
            AlertState after = step(state, holds, inhibited, status.at(), pendingFor);
            if (after.status() != state.status()) {
                transitions.add(transition(slo, status, kind, state, after));
            }
            // RESOLVED is a transition, not a resting state
            next.put(kind, after.status() == AlertStatus.RESOLVED
                    ? AlertState.inactive(slo.id(), kind, after.since()) : after);
        }
        return new Step(next, transitions);
    }

    /**
     * An SLO that left the SLO files: its firing alerts resolve (receivers hear of it, so no incident stays open
     * for an SLO nobody evaluates any more) and its pending ones lapse.
     */
    public static List<AlertTransition> retire(String sloId, String team, Map<AlertKind, AlertState> current,
                                               Instant now) {
        List<AlertTransition> transitions = new ArrayList<>();
        for (AlertState state : current.values()) {
            if (!state.active()) {
                continue;
            }
            AlertStatus to = state.status() == AlertStatus.FIRING ? AlertStatus.RESOLVED : AlertStatus.INACTIVE;
            transitions.add(new AlertTransition(sloId, team, state.kind(), state.kind().severity(), state.status(), to,
                    now, state.since(), state.dedupKey(), "[RESOLVED] " + sloId + " was removed from the SLO files",
                    Map.of(), 0, ""));
        }
        return transitions;
    }

    private static AlertState stateOf(SloDefinition slo, Map<AlertKind, AlertState> current, AlertKind kind,
                                      Instant now) {
        AlertState state = current.get(kind);
        return state != null ? state : AlertState.inactive(slo.id(), kind, now);
    }

    static AlertState step(AlertState state, boolean holds, boolean inhibited, Instant now, Duration pendingFor) {
        return switch (state.status()) {
            case INACTIVE, RESOLVED -> {
                if (!holds || inhibited) {
                    yield state;
                }
                String key = AlertState.dedupKeyFor(state.sloId(), state.kind(), now);
                AlertStatus status = pendingFor.isZero() ? AlertStatus.FIRING : AlertStatus.PENDING;
                yield new AlertState(state.sloId(), state.kind(), status, now, key);
            }
            case PENDING -> {
                if (!holds) {
                    yield AlertState.inactive(state.sloId(), state.kind(), now);
                }
                boolean heldLongEnough = !now.isBefore(state.since().plus(pendingFor));
                yield heldLongEnough
                        ? new AlertState(state.sloId(), state.kind(), AlertStatus.FIRING, now, state.dedupKey())
                        : state;
            }
            case FIRING -> holds ? state
                    : new AlertState(state.sloId(), state.kind(), AlertStatus.RESOLVED, now, state.dedupKey());
        };
    }

    private static AlertTransition transition(SloDefinition slo, SloStatus status, AlertKind kind, AlertState before,
                                              AlertState after) {
        String dedupKey = after.dedupKey() != null ? after.dedupKey() : before.dedupKey();
        Instant incidentStart = before.active() ? before.since() : after.since();
        String rule = status.rules().stream()
                .filter(BurnRateEvaluator.RuleState::firing)
                .filter(state -> state.rule().severity() == kind.severity() && kind != AlertKind.BUDGET_EXHAUSTED)
                .map(state -> state.rule().name())
                .findFirst().orElse("");
        return new AlertTransition(slo.id(), slo.team(), kind, kind.severity(), before.status(), after.status(),
                status.at(), incidentStart, dedupKey, summary(slo, kind, after.status(), status), status.burnRates(),
                status.budget().remainingFraction(), rule);
    }

    static String summary(SloDefinition slo, AlertKind kind, AlertStatus to, SloStatus status) {
        String what = switch (kind) {
            case PAGE -> "is burning its error budget fast";
            case TICKET -> "is burning its error budget slowly";
            case BUDGET_EXHAUSTED -> "has exhausted its error budget";
        };
        return String.format(Locale.ROOT, "%s%s %s (%s, objective %s): budget remaining %.1f %%, "
                        + "burn rate 1h %.1f, 5m %.1f",
                to == AlertStatus.RESOLVED ? "[RESOLVED] " : "", slo.id(), what, slo.sli().describe(),
                SloTargetText.of(slo.objective(), slo.window()), status.budget().remainingFraction() * 100,
                status.burnRates().getOrDefault("1h", 0.0), status.burnRates().getOrDefault("5m", 0.0));
    }
}

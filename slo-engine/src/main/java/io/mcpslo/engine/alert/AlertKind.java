package io.mcpslo.engine.alert;

import io.mcpslo.engine.slo.Severity;

/** The alerts an SLO can raise: a page (fast burn), a ticket (slow burn) and an exhausted budget (a ticket). */
public enum AlertKind {
    PAGE("page", Severity.PAGE),
    TICKET("ticket", Severity.TICKET),
    BUDGET_EXHAUSTED("budget-exhausted", Severity.TICKET);

    private final String label;
    private final Severity severity;

    AlertKind(String label, Severity severity) {
        this.label = label;
        this.severity = severity;
    }

    public String label() {
        return label;
    }

    public Severity severity() {
        return severity;
    }

    public static AlertKind fromLabel(String label) {
        for (AlertKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown alert kind: " + label);
    }
}

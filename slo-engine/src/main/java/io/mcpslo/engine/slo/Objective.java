package io.mcpslo.engine.slo;

/** The target fraction of good events, strictly between 0 and 1 (0.999 for "three nines"). */
public record Objective(double target) {

    public Objective {
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("objective must be between 0 and 1 (exclusive), was " + target);
        }
    }

    public double errorBudget() {
        return 1 - target;
    }

    /**
     * Burn rate: how fast the budget is spent relative to spending it exactly over the SLO window
     * (SRE Workbook, ch. 5): error ratio / (1 − objective). 1 means on budget; 0 with no traffic.
     */
    public double burnRate(EventCounts counts) {
        return counts.errorRatio() / errorBudget();
    }
}

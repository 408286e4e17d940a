package io.mcpslo.processor.sink;

/**
 * How many days each kind of stored data is kept. Rollups must outlive the longest SLO window: SLO history is
 * read back from them on start and reload.
 */
public record RetentionSettings(int auditDays, int callsDays, int rollupDays) {
    public RetentionSettings {
        if (auditDays < 1 || callsDays < 1 || rollupDays < 1) {
            throw new IllegalArgumentException("retention days must be at least 1: audit " + auditDays + ", calls "
                    + callsDays + ", rollups " + rollupDays);
        }
    }
}

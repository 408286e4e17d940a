package io.mcpslo.processor.sink;

/**
 * How many days each kind of stored data is kept. Rollups must outlive the longest SLO window: SLO history is
 * read back from them on start and reload.
 */
public record RetentionSettings(int auditDays, int callsDays, int rollupDays, int statusDays, int alertDays,
                                int deadLetterDays) {
    public RetentionSettings {
        if (auditDays < 1 || callsDays < 1 || rollupDays < 1 || statusDays < 1 || alertDays < 1 || deadLetterDays < 1) {
            throw new IllegalArgumentException("retention days must be at least 1: " + this);
        }
    }
}

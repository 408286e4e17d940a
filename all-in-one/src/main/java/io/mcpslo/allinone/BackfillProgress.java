package io.mcpslo.allinone;

import java.util.Locale;

/**
 * How far a back-fill's own events have come: sent (acknowledged by the collector), stored raw (counted in
 * {@code calls} by the run's tag, so other calls in the same range do not count), rolled up (the rollups of the
 * range minus what they held before the back-fill began) and too late for any rollup (the stream had already seen
 * later traffic; stored raw only). The back-fill is complete once every sent call is stored raw and is either in a
 * rollup or known to be too late for one.
 */
record BackfillProgress(long sent, long stored, long rolledUp, long tooLate) {

    boolean complete() {
        return stored >= sent && rolledUp + tooLate >= sent;
    }

    /** "back-fill: 60,480 calls sent · 60,480 stored (100 %) · 58,110 in rollups (96 %)", and the too-late ones. */
    String line() {
        return String.format(Locale.ROOT, "back-fill: %,d calls sent · %,d stored (%s) · %,d in rollups (%s)%s", sent,
                stored, share(stored), Math.min(rolledUp, sent), share(rolledUp),
                tooLate > 0 ? String.format(Locale.ROOT, " · %,d too late for a rollup", tooLate) : "");
    }

    private String share(long part) {
        return sent == 0 ? "–" : Math.min(100, part * 100 / sent) + " %";
    }
}

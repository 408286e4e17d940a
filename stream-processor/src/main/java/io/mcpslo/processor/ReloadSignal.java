package io.mcpslo.processor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code kill -HUP <pid>} reloads the SLO files at once, as daemons usually do. */
public final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    public static void onHangup(Runnable reload) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reloading SLO files");
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.error("reloading SLO files failed; the SLOs in force stay", e);
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP cannot be handled here ({}); SLO files still reload every SLO_RELOAD_INTERVAL",
                    e.getMessage());
        }
    }
}

package io.mcpslo.engine.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * The current state of one alert of one SLO. {@code dedupKey} names the incident: it is set when the condition
 * starts to hold and kept until the alert resolves, so a trigger and its resolve carry the same key.
 */
public record AlertState(String sloId, AlertKind kind, AlertStatus status, Instant since, String dedupKey) {

    public AlertState {
        Objects.requireNonNull(sloId, "sloId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        if ((status == AlertStatus.PENDING || status == AlertStatus.FIRING) && dedupKey == null) {
            throw new IllegalArgumentException("a " + status + " alert needs a dedup key");
        }
    }

    public static AlertState inactive(String sloId, AlertKind kind, Instant since) {
        return new AlertState(sloId, kind, AlertStatus.INACTIVE, since, null);
    }

    /** "mcp-slo:github-availability:page:1764052380": the SLO, the alert and when its incident began. */
    static String dedupKeyFor(String sloId, AlertKind kind, Instant incidentStart) {
        return "mcp-slo:" + sloId + ':' + kind.label() + ':' + incidentStart.getEpochSecond();
    }

    public boolean active() {
        return status == AlertStatus.PENDING || status == AlertStatus.FIRING;
    }
}

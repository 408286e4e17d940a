package io.mcpslo.engine.alert;

/**
 * Where an alert stands. PENDING: the condition holds but not yet for the SLO's pending time. FIRING: notified.
 * RESOLVED: the condition cleared after firing (notified); INACTIVE: nothing to say.
 */
public enum AlertStatus { INACTIVE, PENDING, FIRING, RESOLVED }

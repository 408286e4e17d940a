package io.mcpslo.engine.slo;

/** A page wakes someone up; a ticket waits for working hours. */
public enum Severity { PAGE, TICKET }

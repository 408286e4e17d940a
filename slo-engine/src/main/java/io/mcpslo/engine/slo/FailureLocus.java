package io.mcpslo.engine.slo;

/** Which failures burn an availability SLO's budget: transport only, tool only, or both. */
public enum FailureLocus { TRANSPORT, TOOL, BOTH }

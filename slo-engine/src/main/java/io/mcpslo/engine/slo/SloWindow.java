package io.mcpslo.engine.slo;

import java.time.Duration;
import java.time.Instant;

/** The span over which an SLO's budget is counted: rolling (the last N days) or calendar (this month). */
public sealed interface SloWindow permits RollingWindow, CalendarWindow {

    /** The window that holds {@code now}: [start, end). For a rolling window end is {@code now}. */
    Instant start(Instant now);

    Instant end(Instant now);

    /** The length the Workbook's alert thresholds are scaled to (a calendar month counts 30 days). */
    Duration nominalLength();

    /** The longest this window can be, so history can be pruned beyond it. */
    Duration maxLength();

    /** "30d rolling", "calendar month (Europe/Paris)". */
    String describe();
}

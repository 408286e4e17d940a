package io.mcpslo.engine.notify;

/** The wire formats a receiver speaks. */
public enum ReceiverType { WEBHOOK, PAGERDUTY, ALERTMANAGER, SLACK }

package io.mcpslo.processor.notify;

import java.time.Duration;

/**
 * How receivers are notified: the request timeout, the longest pause between retries, the oldest transition
 * still worth sending (a receiver group starting fresh does not replay last week), and the base URL that alert
 * links point at (the query API).
 */
public record NotifySettings(Duration requestTimeout, Duration maxRetryBackoff, Duration maxAge, String linkBase) {

    public NotifySettings {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("NOTIFY_REQUEST_TIMEOUT must be > 0");
        }
        linkBase = linkBase.endsWith("/") ? linkBase.substring(0, linkBase.length() - 1) : linkBase;
    }

    public String sloLink(String sloId) {
        return linkBase + "/api/v1/slos/" + sloId;
    }
}

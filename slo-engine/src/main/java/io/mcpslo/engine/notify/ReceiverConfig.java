package io.mcpslo.engine.notify;

import io.mcpslo.engine.alert.AlertTransition;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.Severity;
import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * Where alerts go: a named receiver of one type, the teams and severities it takes (empty means all), and for
 * PagerDuty the integration's routing key. The URL is kept as text: the edge that sends owns the HTTP client.
 */
public record ReceiverConfig(String name, ReceiverType type, URI url, String routingKey, Set<String> teams,
                             Set<Severity> severities) {

    public ReceiverConfig {
        if (name == null || !SloDefinition.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("receiver name must match " + SloDefinition.NAME.pattern());
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("receiver url must be an http(s) URL with a host, was " + url);
        }
        if (type == ReceiverType.PAGERDUTY && (routingKey == null || routingKey.isBlank())) {
            throw new IllegalArgumentException("a pagerduty receiver needs a routing_key");
        }
        teams = Set.copyOf(teams);
        severities = Set.copyOf(severities);
    }

    public boolean takes(AlertTransition transition) {
        return (teams.isEmpty() || teams.contains(transition.team()))
                && (severities.isEmpty() || severities.contains(transition.severity()));
    }

    /** The URL with any user info and query (where tokens hide, as in Slack's) left out, for logs. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getPath() == null ? "" : url.getPath().replaceAll("/services/.*", "/services/…"));
    }
}

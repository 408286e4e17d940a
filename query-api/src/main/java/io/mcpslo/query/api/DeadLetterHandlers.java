package io.mcpslo.query.api;

import io.javalin.http.Context;
import io.mcpslo.storage.pipeline.DeadLetterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the sink could not store: the operator's view of the dead letters, to see, fix and replay them. */
final class DeadLetterHandlers {

    private static final Set<String> TABLES = Set.of("calls", "audit_events", "call_rollups_1m", "alert_events",
            "slo_status", "alert_deliveries", "audit_log", "audit_digests");

    private final DeadLetterStore store;
    private final Clock clock;

    DeadLetterHandlers(DeadLetterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void list(Context ctx) {
        var params = ctx.queryParamMap();
        RangeParameters.checkNames(params, Set.of("from", "to", "table", "limit"));
        Instant to = RangeParameters.instant(params, "to").orElseGet(() -> clock.instant().plusSeconds(1));
        Instant from = RangeParameters.instant(params, "from").orElse(to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw new BadRequestException("from", "from (" + from + ") must be before to (" + to + ")");
        }
        Optional<String> table = RangeParameters.single(params, "table");
        if (table.isPresent() && !TABLES.contains(table.get())) {
            throw new BadRequestException("table", "table must be one of " + String.join(", ",
                    TABLES.stream().sorted().toList()) + "; got " + RangeParameters.abbreviate(table.get()));
        }
        int limit = RangeParameters.limit(params, 100);
        ctx.json(Map.of("from", from.toString(), "to", to.toString(), "dead_letters",
                store.recent(from, to, table, limit).stream().map(letter -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("at", letter.at().toString());
                    item.put("topic", letter.topic());
                    item.put("partition", letter.partition());
                    item.put("offset", letter.offset());
                    item.put("table", letter.table());
                    item.put("reason", letter.reason());
                    item.put("payload_bytes", letter.payloadBytes());
                    item.put("payload_base64", letter.payloadBase64());
                    return item;
                }).toList()));
    }
}

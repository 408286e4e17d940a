package io.mcpslo.clickhouse.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.storage.calls.CallFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A session, user or trace lookup as the query API makes it, for the correlation tests. */
final class CorrelationLookup {

    private CorrelationLookup() {
    }

    /** The servers of the calls with this key in the hour before {@code now}, newest first. */
    static List<String> servers(ClickHouseClient client, Instant now, String column, String key) {
        var filter = new CallFilter(Map.of(column, key), Set.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), now.minus(Duration.ofHours(1)), now.plusSeconds(1));
        var store = ClickHouseCallStore.readingOnly(client, CallTable.CORRELATION);
        assertEquals(store.page(filter, Optional.empty(), 10).size(), store.count(filter), "page and count agree");
        return store.page(filter, Optional.empty(), 10).stream().map(row -> (String) row.get("server")).toList();
    }
}

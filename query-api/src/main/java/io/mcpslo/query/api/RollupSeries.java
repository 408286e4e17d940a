package io.mcpslo.query.api;

import io.mcpslo.storage.rollup.RollupQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every bucket of a query's range in order, empty ones included, so charts show gaps as zero traffic. */
final class RollupSeries {

    private RollupSeries() {
    }

    static <B> List<B> complete(RollupQuery query, List<B> found, Function<B, Instant> startOf,
                                Function<Instant, B> empty) {
        Map<Instant, B> byStart = new LinkedHashMap<>();
        if (query.step().isEmpty()) {
            byStart.put(query.from(), empty.apply(query.from()));
        } else {
            for (Instant start = query.bucketOf(query.from()); start.isBefore(query.to());
                 start = start.plus(query.step().get())) {
                byStart.put(start, empty.apply(start));
            }
        }
        for (B bucket : found) {
            byStart.put(startOf.apply(bucket), bucket);
        }
        return new ArrayList<>(byStart.values());
    }
}

package io.mcpslo.query.api;

import io.mcpslo.storage.rollup.RollupBucket;
import io.mcpslo.storage.rollup.RollupQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every bucket of a query's range in order, empty ones included, so charts show gaps as zero traffic. */
final class RollupSeries {

    private RollupSeries() {
    }

    static List<RollupBucket> complete(RollupQuery query, List<RollupBucket> found) {
        Map<Instant, RollupBucket> byStart = new LinkedHashMap<>();
        if (query.step().isEmpty()) {
            byStart.put(query.from(), RollupBucket.empty(query.from()));
        } else {
            for (Instant start = query.bucketOf(query.from()); start.isBefore(query.to());
                 start = start.plus(query.step().get())) {
                byStart.put(start, RollupBucket.empty(start));
            }
        }
        for (RollupBucket bucket : found) {
            byStart.put(bucket.start(), bucket);
        }
        return new ArrayList<>(byStart.values());
    }
}

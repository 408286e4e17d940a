package io.mcpslo.processor.sink;

import java.time.Duration;

/** How the sink batches: flush at this many records or this long after the first buffered one. */
public record SinkSettings(int maxBatchRecords, Duration flushInterval, Duration maxRetryBackoff) {
}

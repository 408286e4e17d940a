package io.mcpslo.processor.topology;

import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.kafka.RollupStateSerde;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventValidator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream: raw events are validated (refusals to the dead-letter topic), calls and audit events go to
 * their own topics keyed by server|tool, and calls roll up into one-minute windows.
 */
public final class PipelineTopology {

    /** What the topology needs besides Kafka: the clock, the lateness policy, the emit cadence, metrics. */
    public record Options(Clock clock, LatenessPolicy lateness, Duration emitInterval, Duration maxFutureSkew,
                          MeterRegistry registry) {
    }

    private PipelineTopology() {
    }

    public static Topology build(Options options) {
        StreamsBuilder builder = new StreamsBuilder();
        addValidation(builder, options);
        addRollups(builder, options);
        return builder.build();
    }

    static void addValidation(StreamsBuilder builder, Options options) {
        EventValidator validator = new EventValidator(options.clock(), options.maxFutureSkew());
        KStream<String, Routed> routed = builder
                .stream(Topics.EVENTS.name(), Consumed.with(Topics.EVENTS.keySerde(), Topics.EVENTS.valueSerde())
                        .withName("raw-events"))
                .processValues(() -> new ValidateProcessor(validator, options.clock(), options.registry()),
                        Named.as("validate"));

        routed.filter((key, value) -> value.deadLetter() != null, Named.as("refused"))
                .mapValues(Routed::deadLetter, Named.as("dead-letter"))
                .to(Topics.DEAD_LETTERS.name(), Produced.with(Serdes.String(), Serdes.ByteArray()));

        routed.filter((key, value) -> value.event() instanceof CallEvent, Named.as("calls"))
                .map((key, value) -> KeyValue.pair(value.event().partitionKey(), (CallEvent) value.event()),
                        Named.as("key-calls"))
                .to(Topics.CALLS.name(), Produced.with(Topics.CALLS.keySerde(), Topics.CALLS.valueSerde()));

        routed.filter((key, value) -> value.event() instanceof AuditEvent, Named.as("audit"))
                .map((key, value) -> KeyValue.pair(value.event().partitionKey(), (AuditEvent) value.event()),
                        Named.as("key-audit"))
                .to(Topics.AUDIT.name(), Produced.with(Topics.AUDIT.keySerde(), Topics.AUDIT.valueSerde()));
    }

    static void addRollups(StreamsBuilder builder, Options options) {
        Duration lateness = options.lateness().allowedLateness();
        // caching collapses the many updates of one window between commits into one changelog write
        // ids are remembered a little longer than the lateness, so an accepted event's replay is always seen
        Duration seenRetention = lateness.plus(Duration.ofMinutes(10));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RollupProcessor.WINDOWS_STORE),
                Serdes.String(), RollupStateSerde.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RollupProcessor.DIRTY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RollupProcessor.STREAM_TIME_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(RollupProcessor.SEEN_STORE,
                seenRetention, Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()).withCachingEnabled());

        builder.stream(Topics.CALLS.name(), Consumed.with(Topics.CALLS.keySerde(), Topics.CALLS.valueSerde())
                        .withName("validated-calls"))
                .process(() -> new RollupProcessor(options.lateness(), options.emitInterval(), options.registry()),
                        Named.as("rollup"), RollupProcessor.WINDOWS_STORE, RollupProcessor.DIRTY_STORE,
                        RollupProcessor.SEEN_STORE, RollupProcessor.STREAM_TIME_STORE)
                .to(Topics.ROLLUPS.name(), Produced.with(Topics.ROLLUPS.keySerde(), Topics.ROLLUPS.valueSerde()));
    }
}

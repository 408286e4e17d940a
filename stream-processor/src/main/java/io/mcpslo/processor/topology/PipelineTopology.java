package io.mcpslo.processor.topology;

import io.mcpslo.engine.history.SloHistory;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.kafka.CallEventWire;
import io.mcpslo.kafka.RollupStateSerde;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.EventValidator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream: raw events are validated (refusals to the dead-letter topic), calls and audit events go to
 * their own topics keyed by server|tool, and calls roll up into one-minute windows.
 */
public final class PipelineTopology {

    /**
     * What the topology needs besides Kafka: the clock, the lateness policy, the emit cadence, metrics, and the
     * SLOs in force (read again at every evaluation, so a reload takes effect within one interval), the stored
     * SLO history with the executor that reads it (never the stream thread). Stores are
     * RocksDB in production; in-memory stores (restored from their changelogs just the same) spare unit tests the
     * RocksDB flush that TopologyTestDriver does after every record.
     */
    public record Options(Clock clock, LatenessPolicy lateness, Duration emitInterval, Duration maxFutureSkew,
                          MeterRegistry registry, Supplier<List<SloDefinition>> slos, Duration evaluationInterval,
                          boolean persistentStores, AuditChainSettings audit, SloHistory sloHistory,
                          Executor historyReads, Duration dedupHorizon, int sloPartitions) {

        /** Calls resent within this much stream time count once in rollups (see {@link RollupProcessor}). */
        public static final Duration DEFAULT_DEDUP_HORIZON = Duration.ofMinutes(15);
        /** Evaluation tasks the SLOs are spread over (divides among 1, 2, 3 or 6 instances or threads). */
        public static final int DEFAULT_SLO_PARTITIONS = 6;

        public Options {
            if (dedupHorizon.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("ROLLUP_DEDUP_HORIZON must be at least 1s, was " + dedupHorizon);
            }
            if (sloPartitions < 1 || sloPartitions > 1_000) {
                throw new IllegalArgumentException("SLO_EVALUATION_PARTITIONS must be between 1 and 1000, was "
                        + sloPartitions);
            }
        }

        /** One evaluation partition: what a TopologyTestDriver runs (it has one partition per topic). */
        public Options(Clock clock, LatenessPolicy lateness, Duration emitInterval, Duration maxFutureSkew,
                       MeterRegistry registry, Supplier<List<SloDefinition>> slos, Duration evaluationInterval,
                       boolean persistentStores, AuditChainSettings audit, SloHistory sloHistory,
                       Executor historyReads, Duration dedupHorizon) {
            this(clock, lateness, emitInterval, maxFutureSkew, registry, slos, evaluationInterval, persistentStores,
                    audit, sloHistory, historyReads, dedupHorizon, 1);
        }

        public Options(Clock clock, LatenessPolicy lateness, Duration emitInterval, Duration maxFutureSkew,
                       MeterRegistry registry, Supplier<List<SloDefinition>> slos, Duration evaluationInterval,
                       boolean persistentStores, AuditChainSettings audit, SloHistory sloHistory,
                       Executor historyReads) {
            this(clock, lateness, emitInterval, maxFutureSkew, registry, slos, evaluationInterval, persistentStores,
                    audit, sloHistory, historyReads, DEFAULT_DEDUP_HORIZON);
        }
    }

    /** The audit chain's digest key (HMAC), and how often a chain head is signed: every N events or interval. */
    public record AuditChainSettings(byte[] digestKey, int digestEvery, Duration digestInterval) {
        public AuditChainSettings {
            if (digestKey.length < 16) {
                throw new IllegalArgumentException("the audit digest key must be at least 16 bytes");
            }
            if (digestEvery < 1) {
                throw new IllegalArgumentException("AUDIT_DIGEST_EVERY must be >= 1");
            }
        }
    }

    private PipelineTopology() {
    }

    private static KeyValueBytesStoreSupplier keyValueStore(Options options, String name) {
        return options.persistentStores() ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    /**
     * Kafka topics the OpenTelemetry Collector's Kafka exporter writes ({@code otlp_proto}); a blank name reads none.
     */
    public record OtlpTopics(String spans, String logs) {
        public static final OtlpTopics NONE = new OtlpTopics("", "");
    }

    public static Topology build(Options options) {
        return build(options, OtlpTopics.NONE);
    }

    public static Topology build(Options options, OtlpTopics otlp) {
        StreamsBuilder builder = new StreamsBuilder();
        addOtlpIngest(builder, otlp.spans(), OtlpKafkaProcessor.Signal.TRACES, options);
        addOtlpIngest(builder, otlp.logs(), OtlpKafkaProcessor.Signal.LOGS, options);
        addValidation(builder, options);
        addSloEvaluation(builder, addRollups(builder, options), options);
        addAuditChain(builder, options);
        return builder.build();
    }

    /** OTLP batches from Kafka become raw events on the events topic, so they are validated like any other. */
    static void addOtlpIngest(StreamsBuilder builder, String topic, OtlpKafkaProcessor.Signal signal, Options options) {
        if (topic.isBlank()) {
            return;
        }
        String name = "otlp-" + signal.name().toLowerCase(java.util.Locale.ROOT);
        builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name))
                .process(() -> new OtlpKafkaProcessor(signal, options.clock(), options.registry()),
                        Named.as(name + "-map"))
                .mapValues(output -> switch (output) {
                    case OtlpKafkaProcessor.Event event -> Outbound.of(Topics.EVENTS, event.json());
                    case OtlpKafkaProcessor.Refused refused -> Outbound.of(Topics.DEAD_LETTERS, refused.deadLetter());
                }, Named.as(name + "-route"))
                .to(Outbound::topicOf, Outbound.produced(name + "-out"));
    }

    static void addValidation(StreamsBuilder builder, Options options) {
        EventValidator validator = new EventValidator(options.clock(), options.maxFutureSkew());
        builder.stream(Topics.EVENTS.name(), Consumed.with(Topics.EVENTS.keySerde(), Topics.EVENTS.valueSerde())
                        .withName("raw-events"))
                .processValues(() -> new ValidateProcessor(validator, options.clock(), options.registry()),
                        Named.as("validate"))
                .map((key, value) -> switch (value) {
                    case Routed.Call call -> KeyValue.pair(call.event().partitionKey(),
                            Outbound.of(Topics.CALLS, call.event()));
                    case Routed.Audit audit -> KeyValue.pair(audit.event().partitionKey(),
                            Outbound.of(Topics.AUDIT, audit.event()));
                    case Routed.Refused refused -> KeyValue.pair(key, Outbound.of(Topics.DEAD_LETTERS,
                            refused.deadLetter()));
                }, Named.as("route-validated"))
                .to(Outbound::topicOf, Outbound.produced("validated-out"));
    }

    static KStream<String, CallRollup> addRollups(StreamsBuilder builder, Options options) {
        // caching collapses the many updates of one window between commits into one changelog write
        // a window is put once per call and written down once per commit
        builder.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(
                keyValueStore(options, RollupProcessor.WINDOWS_STORE), Serdes.String(), RollupStateSerde.serde())
                .withCachingEnabled()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                keyValueStore(options, RollupProcessor.STREAM_TIME_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        // ids stay in a bucket of one horizon and are looked up in two
        builder.addStateStore(SeenIdsStore.builder(RollupProcessor.SEEN_STORE, options.dedupHorizon(),
                options.persistentStores()));

        KStream<String, CallRollup> rollups = builder
                // the key (server|tool) is not read: the window's key comes from the call
                .stream(Topics.CALLS.name(), Consumed.with(Serdes.ByteArray(), CallEventWire.countedSerde())
                        .withName("validated-calls"))
                .process(() -> new RollupProcessor(options.lateness(), options.emitInterval(),
                                options.dedupHorizon(), options.registry()),
                        Named.as("rollup"), RollupProcessor.WINDOWS_STORE, RollupProcessor.SEEN_STORE,
                        RollupProcessor.STREAM_TIME_STORE);
        rollups.to(Topics.ROLLUPS.name(), Produced.with(Topics.ROLLUPS.keySerde(), Topics.ROLLUPS.valueSerde()));
        return rollups;
    }

    /** Audit events are chained per partition of the audit topic and signed now and then (tamper evidence). */
    static void addAuditChain(StreamsBuilder builder, Options options) {
        Duration seenRetention = options.lateness().allowedLateness().plus(Duration.ofMinutes(10));
        builder.addStateStore(Stores.keyValueStoreBuilder(keyValueStore(options, AuditChainProcessor.HEADS_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.windowStoreBuilder(options.persistentStores()
                ? Stores.persistentWindowStore(AuditChainProcessor.SEEN_STORE, seenRetention, Duration.ofMillis(1), false)
                : Stores.inMemoryWindowStore(AuditChainProcessor.SEEN_STORE, seenRetention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()));
        builder.stream(Topics.AUDIT.name(), Consumed.with(Topics.AUDIT.keySerde(), Topics.AUDIT.valueSerde())
                        .withName("validated-audit"))
                .process(() -> new AuditChainProcessor(options.audit().digestKey(), options.audit().digestEvery(),
                                options.audit().digestInterval(), options.clock(), options.registry()),
                        Named.as("audit-chain"), AuditChainProcessor.HEADS_STORE, AuditChainProcessor.SEEN_STORE)
                .mapValues(output -> switch (output) {
                    case AuditChainProcessor.Chained chained -> Outbound.of(Topics.AUDIT_CHAINED, chained.audit());
                    case AuditChainProcessor.Digest digest -> Outbound.of(Topics.AUDIT_DIGESTS, digest.digest());
                }, Named.as("route-audit-chain"))
                .to(Outbound::topicOf, Outbound.produced("audit-chain-out"));
    }

    /**
     * The SLOs are spread over {@link Options#sloPartitions()} evaluation tasks ({@link SloShards}): each rollup goes
     * through the repartition topic {@code slo-rollups-by-shard} to every task holding an SLO that counts it (an SLO
     * over a whole server needs the rollups of all its tools, which the rollup partitioning spreads), and each task
     * evaluates its own SLOs. The stores were renamed with the change from one task (their changelogs had one
     * partition); the tasks rebuild SLO history and open alerts from storage, as after any loss of state.
     */
    static void addSloEvaluation(StreamsBuilder builder, KStream<String, CallRollup> rollups, Options options) {
        SloShards shards = new SloShards(options.slos(), options.sloPartitions());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                keyValueStore(options, SloEvaluationProcessor.ROLLUPS_STORE), Serdes.String(),
                RollupStateSerde.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                keyValueStore(options, SloEvaluationProcessor.MINUTES_STORE), Serdes.String(),
                RollupStateSerde.aggregateSerde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                keyValueStore(options, SloEvaluationProcessor.ALERTS_STORE), Serdes.String(), Serdes.String()));
        rollups.flatMap((key, rollup) -> shards.shardsOf(rollup.key()).stream()
                                .map(shard -> KeyValue.pair(SloShards.key(shard, key), rollup)).toList(),
                        Named.as("slo-fan-out"))
                .repartition(Repartitioned.<String, CallRollup>as("slo-rollups-by-shard")
                        .withNumberOfPartitions(options.sloPartitions()).withStreamPartitioner(SloShards.partitioner())
                        .withKeySerde(Serdes.String()).withValueSerde(RollupStateSerde.serde()))
                .process(() -> new SloEvaluationProcessor(options.slos(), options.evaluationInterval(),
                                options.lateness().allowedLateness(), options.sloHistory(), options.historyReads(),
                        options.registry(), options.sloPartitions()),
                        Named.as("slo-evaluation"), SloEvaluationProcessor.ROLLUPS_STORE,
                        SloEvaluationProcessor.MINUTES_STORE, SloEvaluationProcessor.ALERTS_STORE)
                .mapValues(output -> switch (output) {
                    case SloEvaluationProcessor.Transition transition ->
                            Outbound.of(Topics.ALERTS, transition.transition());
                    case SloEvaluationProcessor.Status status -> Outbound.of(Topics.SLO_STATUS, status.status());
                }, Named.as("route-slo-evaluation"))
                .to(Outbound::topicOf, Outbound.produced("slo-evaluation-out"));
    }
}

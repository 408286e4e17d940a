package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.engine.slo.AlertPolicy;
import io.mcpslo.engine.slo.AvailabilitySli;
import io.mcpslo.engine.slo.EventCounts;
import io.mcpslo.engine.slo.FailureLocus;
import io.mcpslo.engine.slo.Objective;
import io.mcpslo.engine.slo.RollingWindow;
import io.mcpslo.engine.slo.SloDefinition;
import io.mcpslo.engine.slo.SloScope;
import io.mcpslo.engine.slo.SloStatus;
import io.mcpslo.kafka.RollupStateSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Each evaluation task evaluates the SLOs of its own partition, and only those: no SLO is evaluated (or paged) twice. */
class SloEvaluationPartitionTest {

    private static final int PARTITIONS = 6;
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:30Z");

    private static SloDefinition slo(String id) {
        RollingWindow window = new RollingWindow(Duration.ofHours(1));
        return new SloDefinition(id, "team", "", new SloScope("github", null, null),
                new AvailabilitySli(FailureLocus.TRANSPORT, false, false), new Objective(0.99), window,
                AlertPolicy.defaultsFor(window));
    }

    /** One SLO on each partition, named by trying ids (the test does not depend on the hash's values). */
    private static List<SloDefinition> onePerPartition() {
        List<SloDefinition> slos = new ArrayList<>();
        for (int shard = 0; shard < PARTITIONS; shard++) {
            for (int i = 0; ; i++) {
                if (SloShards.of("github-" + i, PARTITIONS) == shard) {
                    slos.add(slo("github-" + i));
                    break;
                }
            }
        }
        return slos;
    }

    /** A task's context on {@code partition} with the processor's three stores. */
    private static MockProcessorContext<String, SloEvaluationProcessor.Output> task(int partition) throws Exception {
        File stateDir = Files.createTempDirectory("slo-partition").toFile();
        var context = new MockProcessorContext<String, SloEvaluationProcessor.Output>(new Properties(),
                new TaskId(1, partition), stateDir);
        List<StateStore> stores = List.of(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SloEvaluationProcessor.ROLLUPS_STORE),
                        Serdes.String(), RollupStateSerde.serde()).withLoggingDisabled().build(),
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SloEvaluationProcessor.MINUTES_STORE),
                        Serdes.String(), RollupStateSerde.aggregateSerde()).withLoggingDisabled().build(),
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SloEvaluationProcessor.ALERTS_STORE),
                        Serdes.String(), Serdes.String()).withLoggingDisabled().build());
        for (StateStore store : stores) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        return context;
    }

    /**
     * The statuses one evaluation forwards, by SLO id, from a processor for {@code partitions} partitions running in
     * the task on {@code partition}, after it got one rollup of github (90 ok, 10 transport errors).
     */
    private static Map<String, SloStatus> evaluate(int partition, int partitions, List<SloDefinition> slos)
            throws Exception {
        var context = task(partition);
        context.setCurrentSystemTimeMs(NOW.toEpochMilli());
        var processor = new SloEvaluationProcessor(() -> slos, Duration.ofSeconds(1), Duration.ofMinutes(10),
                new InMemorySloHistory(), Runnable::run, new SimpleMeterRegistry(), partitions);
        processor.init(context);
        CallRollup rollup = new CallRollup(new RollupKey("github", "search", "1.0", Instant.parse("2026-11-30T09:59:00Z")),
                new OutcomeCounts(90, 0, 10, 0, 0), 0, 0, new SketchBins(new int[0], new long[0], 100));
        processor.process(new Record<>(rollup.key().storeKey(), rollup, NOW.toEpochMilli()));
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(NOW.toEpochMilli());
        return context.forwarded().stream()
                .filter(forwarded -> forwarded.record().value() instanceof SloEvaluationProcessor.Status)
                .map(forwarded -> ((SloEvaluationProcessor.Status) forwarded.record().value()).status())
                .collect(Collectors.toMap(SloStatus::sloId, status -> status));
    }

    @Test
    void aTaskEvaluatesTheSlosOfItsPartitionOnly() throws Exception {
        List<SloDefinition> slos = onePerPartition();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            Map<String, SloStatus> statuses = evaluate(partition, PARTITIONS, slos);
            String own = slos.get(partition).id();
            assertEquals(List.of(own), List.copyOf(statuses.keySet()), "partition " + partition);
            assertEquals(new EventCounts(90, 10), statuses.get(own).budget().events(),
                    "the rollup sent to its partition counts in its SLO");
        }
    }

    @Test
    void onOnePartitionOneTaskEvaluatesEverySlo() throws Exception {
        // SLO_EVALUATION_PARTITIONS=1, as in a TopologyTestDriver
        List<SloDefinition> slos = onePerPartition();
        assertEquals(slos.stream().map(SloDefinition::id).sorted().toList(),
                evaluate(0, 1, slos).keySet().stream().sorted().toList());
    }
}
